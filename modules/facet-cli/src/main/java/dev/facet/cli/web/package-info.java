/**
 * {@code facet serve}: the merchant web page and the JSON API over one Facet work directory, on
 * embedded Jetty 12. {@link dev.facet.cli.web.FacetServer} listens, {@link dev.facet.cli.web.EngineState}
 * gates the API until {@link dev.facet.cli.web.EngineBootstrap} has ingested and trained.
 */
package dev.facet.cli.web;
