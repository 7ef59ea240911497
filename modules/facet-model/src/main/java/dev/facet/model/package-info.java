/**
 * Facet's joint user/item/interaction model and its evaluation.
 *
 * <p>Entry points: {@link dev.facet.model.JointTrainer#train} turns a {@link dev.facet.model.RecDataset}
 * and a {@link dev.facet.model.DataSplit} into a {@link dev.facet.model.JointModel} (item and user
 * vectors, attention over the history, predicted attribute preferences, inner-product scores);
 * {@link dev.facet.model.EvaluationRunner} trains the joint model, its ablations and the baselines on
 * one split and writes {@code eval.json}, {@code eval.md} and {@code eval.png};
 * {@link dev.facet.model.RecBoleDatasetReader} reads RecBole/MMRec atomic files.
 *
 * <p>Performance note: on a shared 2-core machine set {@code -Dai.djl.pytorch.num_threads=1} (or
 * {@code EvaluationRunner.Options.threads = 1}); libtorch's default of one spinning OpenMP thread per
 * core made training steps ~20x slower when other processes competed for the cores.
 */
package dev.facet.model;
