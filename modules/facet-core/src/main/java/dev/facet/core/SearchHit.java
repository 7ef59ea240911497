package dev.facet.core;

/**
 * One result of a similarity or text search.
 *
 * @param id listing id
 * @param title listing title
 * @param price listing price
 * @param score backend score (higher is more similar)
 * @param imagePath the listing's primary image path as stored in the catalog
 */
public record SearchHit(String id, String title, double price, float score, String imagePath) {}
