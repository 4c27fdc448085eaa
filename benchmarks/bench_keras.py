"""Per-batch cost of an F1 metric inside ``model.evaluate``: no metric, fastf1, Keras' own.

"pyfunc" is the floor of any metric that counts through ``tf.numpy_function``: one call that
returns zero counts, added to one state variable, nothing else.

``--step`` also times one metric alone: a ``tf.function`` that runs ``update_state`` and
``result()`` on one batch, per call, over an empty ``tf.function`` (no model, no evaluate).

    python3 benchmarks/bench_keras.py [--rows 1e6] [--batch 4096] [--classes 10] [--repeat 5]

Every configuration evaluates the same small model (Dense softmax) on the same rows, with
one-hot labels (``keras.metrics.F1Score`` needs them; fastf1 takes them too) and, for
fastf1, also with sparse labels. The overhead of a metric is its evaluate time minus the
"no metric" time of the same label form, divided by the number of batches (the best of
``--repeat`` runs each). As a pytest suite it runs once on a few thousand rows (a smoke test).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

CONFIGS = ("none", "pyfunc", "fastf1", "keras")


def _pyfunc_floor(k: int) -> object:
    """A metric whose update is one tf.numpy_function (returning zeros) and one assign_add."""
    import keras
    import tensorflow as tf

    zeros = np.zeros((3, k), np.int64)

    class PyFuncFloor(keras.metrics.Metric):
        def __init__(self) -> None:
            super().__init__(name="pyfunc_floor")
            self.counts = self.add_variable(shape=(3, k), initializer="zeros", dtype="int64",
                                            name="counts")

        def update_state(self, y_true, y_pred, sample_weight=None) -> None:
            out = tf.numpy_function(lambda t, p: zeros, [y_true, y_pred], tf.int64,
                                    stateful=False)
            out.set_shape((3, k))
            self.counts.assign_add(out)

        def result(self):
            return tf.reduce_sum(self.counts)

    return PyFuncFloor()


def _data(n: int, k: int, features: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (np.abs(x[:, :k]).argmax(axis=1)).astype(np.int32)
    return x, y


def _model(metric: str, k: int, features: int, onehot: bool, jit_compile: bool) -> object:
    import keras

    import fastf1.keras as fk

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((features,)), keras.layers.Dense(k, "softmax")])
    metrics = {
        "none": [],
        "pyfunc": [_pyfunc_floor(k)],
        "fastf1": [fk.F1Score(num_classes=k, average="macro")],
        "keras": [keras.metrics.F1Score(average="macro")],
    }[metric]
    loss = "categorical_crossentropy" if onehot else "sparse_categorical_crossentropy"
    model.compile("sgd", loss, metrics=metrics, jit_compile=jit_compile)
    return model


def measure(rows: int, batch: int, k: int = 10, repeat: int = 3, configs=CONFIGS,
            jit_compile: bool = False, sparse: bool = True) -> dict:
    """Seconds per evaluate() (best of ``repeat``) and ms per batch over "no metric"."""
    import keras

    x, y = _data(rows, k)
    y1 = keras.utils.to_categorical(y, k).astype(np.float32)
    runs = [(c, True) for c in configs]
    if sparse and "fastf1" in configs:
        runs += [("none", False), ("fastf1", False)]
    models = {}
    for metric, onehot in runs:  # build and warm up (trace, compile) every model first
        key = f"{metric}/{'onehot' if onehot else 'sparse'}"
        models[key] = (_model(metric, k, x.shape[1], onehot, jit_compile), y1 if onehot else y)
        models[key][0].evaluate(x, models[key][1], batch_size=batch, verbose=0)
    seconds = dict.fromkeys(models, np.inf)
    values: dict[str, float] = {}
    for _ in range(repeat):  # interleaved, so load from other processes hits all alike
        for key, (model, labels) in models.items():
            start = time.perf_counter()
            logs = model.evaluate(x, labels, batch_size=batch, verbose=0, return_dict=True)
            seconds[key] = min(seconds[key], time.perf_counter() - start)
            if "f1_score" in logs:
                values[key] = float(logs["f1_score"])
    n_batches = -(-rows // batch)
    overhead_ms = {
        key: (s - seconds["none/" + key.split("/")[1]]) / n_batches * 1e3
        for key, s in seconds.items() if not key.startswith("none")
    }
    return dict(rows=rows, batch=batch, classes=k, batches=n_batches, seconds=seconds,
                overhead_ms_per_batch=overhead_ms, f1=values)


def measure_step(batch: int, k: int = 10, calls: int = 2000, repeat: int = 5) -> dict:
    """Microseconds per call of a tf.function running one metric's update_state and
    result() on one batch, minus an empty tf.function's (best of ``repeat``)."""
    import keras
    import tensorflow as tf

    import fastf1.keras as fk

    x, y = _data(batch, k)
    y_pred = tf.constant(keras.ops.softmax(x[:, :k]).numpy())
    sparse = tf.constant(y)
    onehot = tf.constant(keras.utils.to_categorical(y, k).astype(np.float32))
    metrics = {
        "none/-": (None, sparse),
        "pyfunc/onehot": (_pyfunc_floor(k), onehot),
        "fastf1/onehot": (fk.F1Score(num_classes=k, average="macro"), onehot),
        "keras/onehot": (keras.metrics.F1Score(average="macro"), onehot),
        "fastf1/sparse": (fk.F1Score(num_classes=k, average="macro"), sparse),
    }
    steps = {}
    for key, (metric, labels) in metrics.items():
        def step(t, p, metric=metric):
            if metric is None:
                return tf.constant(0.0, tf.float64)
            metric.update_state(t, p)
            return tf.cast(metric.result(), tf.float64)  # every metric here is a scalar

        steps[key] = (tf.function(step), labels)
        steps[key][0](labels, y_pred)  # trace
    seconds = dict.fromkeys(steps, np.inf)
    for _ in range(repeat):  # interleaved, as in measure()
        for key, (fn, labels) in steps.items():
            start = time.perf_counter()
            for _ in range(calls):
                fn(labels, y_pred)
            seconds[key] = min(seconds[key], (time.perf_counter() - start) / calls)
    return {key: (s - seconds["none/-"]) * 1e6 for key, s in seconds.items() if key != "none/-"}


def test_keras_evaluate_smoke(benchmark):
    pytest.importorskip("tensorflow")
    result = benchmark.pedantic(measure, args=(5000, 1024), kwargs=dict(repeat=1),
                                rounds=1, iterations=1)
    assert result["batches"] == 5
    # fastf1 is exact; Keras' float32 counts agree to float32 precision
    assert result["f1"]["fastf1/onehot"] == result["f1"]["fastf1/sparse"]
    assert result["f1"]["keras/onehot"] == pytest.approx(result["f1"]["fastf1/onehot"], rel=1e-5)


def test_keras_step_smoke():
    pytest.importorskip("tensorflow")
    result = measure_step(256, calls=3, repeat=1)
    assert set(result) == {"pyfunc/onehot", "fastf1/onehot", "keras/onehot", "fastf1/sparse"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--step", action="store_true",
                        help="also time each metric alone in a tf.function (update + result)")
    parser.add_argument("--jit-compile", action="store_true",
                        help="compile the step with XLA (fastf1 then counts with TF ops)")
    args = parser.parse_args()
    import keras
    import tensorflow as tf

    result = measure(int(args.rows), args.batch, args.classes, args.repeat,
                     jit_compile=args.jit_compile)
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"jit_compile={args.jit_compile}")
    print(f"{result['rows']:,} rows, batch {result['batch']}, {result['classes']} classes, "
          f"{result['batches']} batches; best of {args.repeat}")
    for key, s in result["seconds"].items():
        extra = ""
        if key in result["overhead_ms_per_batch"]:
            extra = f"  +{result['overhead_ms_per_batch'][key]:.3f} ms/batch"
            if key in result["f1"]:
                extra += f"  F1 {result['f1'][key]:.10f}"
        print(f"  {key:16s} {s:8.3f} s{extra}")
    if args.step:
        print(f"one metric alone: update_state + result() on one batch of {args.batch} in a "
              f"tf.function, per call over an empty one")
        for key, us in measure_step(args.batch, args.classes).items():
            print(f"  {key:16s} +{us:7.1f} us")


if __name__ == "__main__":
    main()
