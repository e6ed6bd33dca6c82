"""GANSpace-style slider directions (Härkönen et al. 2020): PCA of a generator's early features over many sampled z,
carried back to z by least-squares regression (as GANSpace does for BigGAN), plus PCA of z and raw z dimensions."""

from __future__ import annotations

import contextlib

import numpy as np

from ganstudio.core.latent import Direction, pca, raw_directions, z_pca_directions
from ganstudio.ml.runtime import tf

_NONLINEARITIES = {"LeakyReLU", "ReLU", "PReLU", "ELU", "Activation"}


def one_blas_thread():
    """OpenBLAS's spinning threads make LAPACK (SVD) 20-60× slower when the cores are busy, e.g. while training runs
    in the same app; one thread is fast and predictable. threadpoolctl is optional: without it, no limit."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def early_feature_layer(generator):
    """The first nonlinearity inside the generator (for DCGAN: the 4×4 seed after project → BN → LeakyReLU).
    Its features are a non-linear function of z, so their PCA finds more than a rotation of z."""
    output_layer = generator.layers[-1]
    for layer in generator.layers:
        if type(layer).__name__ in _NONLINEARITIES and layer is not output_layer:
            return layer
    for layer in generator.layers:  # no nonlinearity: fall back to the first non-input layer
        if type(layer).__name__ != "InputLayer":
            return layer
    raise ValueError("the generator has no layers to take features from")


def feature_model(generator, layer=None):
    """A keras sub-model sharing the generator's weights: its inputs → the chosen layer's output."""
    tf()
    import keras

    layer = layer or early_feature_layer(generator)
    # `input` (not `inputs`): a single tensor for a one-input generator, so keras sees the structure it was built with
    return keras.Model(generator.input, layer.output, name=f"features_{layer.name}")


def sample_features(session, z: np.ndarray, labels: np.ndarray | None = None, batch: int = 500) -> np.ndarray:
    """(N, F) flattened early features for z (and labels for a conditional generator)."""
    model = feature_model(session.model)
    conditional = session.num_classes > 0
    chunks = []
    for start in range(0, len(z), batch):
        z_part = z[start:start + batch]
        inputs = [z_part, labels[start:start + batch]] if conditional else z_part
        chunks.append(model(inputs, training=False).numpy().reshape(len(z_part), -1))
    return np.concatenate(chunks)


def transfer_to_z(coefficients: np.ndarray, z: np.ndarray) -> np.ndarray:
    """GANSpace §3.2: U = argmin_U Σ‖U x_j − z_j‖² over PCA coefficients x_j; row i of the result is U's column i,
    the z-direction that best produces component i on its own."""
    solution, *_ = np.linalg.lstsq(coefficients, z, rcond=None)  # (k, z_dim)
    return solution


def ganspace_directions(session, n_samples: int = 1000, n_components: int = 20, seed: int = 0,
                        label: int | None = None) -> list[Direction]:
    """Unit z-directions for the top feature PCs, ordered by the feature variance each explains."""
    z = session.sample_z(n_samples, seed).astype(np.float32)
    labels = None
    if session.num_classes:
        rng = np.random.default_rng(seed + 1)
        labels = np.full(n_samples, label, np.int32) if label is not None else \
            rng.integers(0, session.num_classes, n_samples).astype(np.int32)
    features = sample_features(session, z, labels)
    result = pca(features, min(n_components, session.z_dim))
    vectors = transfer_to_z(result.transform(features), z.astype(np.float64))
    directions = []
    for i, (vector, ratio) in enumerate(zip(vectors, result.explained_ratio)):
        unit = (vector / max(np.linalg.norm(vector), 1e-12)).astype(np.float32)
        sigma = float(np.std(z @ unit))  # spread of the prior along it: one slider unit
        directions.append(Direction(f"ganspace:{i}", f"GANSpace PC{i + 1} ({100 * ratio:.1f}%)",
                                    unit, sigma, float(ratio)))
    return directions


def all_directions(session, n_samples: int = 1000, n_components: int = 20, seed: int = 0) -> list[Direction]:
    """GANSpace PCs first (the useful ones), then PCA of z, then every raw z dimension."""
    z = session.sample_z(n_samples, seed + 2)
    with one_blas_thread():
        return (ganspace_directions(session, n_samples, n_components, seed)
                + z_pca_directions(z, min(10, session.z_dim))
                + raw_directions(session.z_dim, float(np.std(z))))
