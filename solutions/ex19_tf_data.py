import tensorflow as tf


def make_pipeline(x, y, batch_size, noise_std, seed):
    """Return a tf.data.Dataset of (features, labels) batches made from the arrays x and y:
    shuffled with `seed` (a new order each epoch), Gaussian noise of standard deviation `noise_std`
    added to the features (not the labels), batched by `batch_size` and prefetched."""
    ### BEGIN SOLUTION
    def augment(features, labels):
        noise = tf.random.normal(tf.shape(features), stddev=noise_std, dtype=features.dtype)
        return features + noise, labels

    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    dataset = dataset.shuffle(buffer_size=len(x), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
    ### END SOLUTION
