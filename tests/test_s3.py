"""Scoring a hive-partitioned dump in an S3 bucket, as a user would against a real one.

The tests start moto's S3-compatible server on 127.0.0.1 (a port it picks); fastf1 is configured
only by the standard environment (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ...), nothing
of its own. Scored, grouped by a partition column, filtered by ``--where``, saved, merged by
``fastf1 report``, resumed after a killed run: every result equal to scikit-learn's on the
same rows.
"""

from __future__ import annotations

import io as stdio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
import sklearn.metrics as skm

from fastf1 import cli, io

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("pyarrow._s3fs")
pytest.importorskip("sqlglot")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

BUCKET = "predictions"
MODELS, DAYS = ("v1", "v2"), ("2026-11-29", "2026-11-30")


@pytest.fixture(scope="module")
def s3():
    """A bucket on a local S3-compatible server, with the environment a user would set."""
    # port 0: the server binds a free port itself (a port found free and then bound by the
    # server could be taken in between by another test process, and start() would wait on)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server.get_host_and_port()[1]
    env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_EC2_METADATA_DISABLED": "true"}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(k, raising=False)
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client
    server.stop()


def _put_parquet(client, key, table, row_group_size=None):
    buf = stdio.BytesIO()
    pq.write_table(table, buf, row_group_size=row_group_size)
    client.put_object(Bucket=BUCKET, Key=key, Body=buf.getvalue())


@pytest.fixture(scope="module")
def dump(s3):
    """model=*/day=*/part-*.parquet under s3://predictions/dump/; returns all rows."""
    rows = {"y": [], "p": [], "w": [], "model": [], "day": []}
    for i, (m, d) in enumerate((m, d) for m in MODELS for d in DAYS):
        for part in range(2):
            rng = np.random.default_rng(10 * i + part)
            y = rng.integers(0, 5, 300)
            p = np.where(rng.random(300) < 0.6, y, rng.integers(0, 5, 300))
            w = rng.random(300)
            _put_parquet(s3, f"dump/model={m}/day={d}/part-{part:05d}.parquet",
                         pa.table({"y": y, "p": p, "w": w}), row_group_size=100)
            for k, v in (("y", y), ("p", p), ("w", w), ("model", [m] * 300),
                         ("day", [d] * 300)):
                rows[k].append(np.asarray(v))
    s3.put_object(Bucket=BUCKET, Key="dump/_SUCCESS", Body=b"")
    return {k: np.concatenate(v) for k, v in rows.items()}


URI = f"s3://{BUCKET}/dump/"


def assert_like_sklearn(stats, y, p, w=None):
    for average in ("micro", "macro", "weighted"):
        theirs = skm.f1_score(y, p, average=average, sample_weight=w)
        ours = stats.f1_score(average=average)
        assert ours == (theirs if w is None else pytest.approx(theirs, rel=1e-9))
    np.testing.assert_array_equal(stats.labels, np.unique(np.concatenate([y, p])))
    assert stats.total == (len(y) if w is None else pytest.approx(w.sum()))


def test_score_a_bucket(dump):
    assert_like_sklearn(io.score_files(URI, true="y", pred="p", chunk_rows=128),
                        dump["y"], dump["p"])
    assert_like_sklearn(io.score_files(URI, true="y", pred="p", sample_weight="w"),
                        dump["y"], dump["p"], dump["w"])
    globbed = io.score_files(f"s3://{BUCKET}/dump/**/part-00001.parquet", true="y", pred="p")
    assert globbed.total == len(dump["y"]) // 2


def test_group_by_a_partition_column_and_where(dump):
    got = io.score_files(URI, true="y", pred="p", group_by="model",
                         where="day = '2026-11-30' and w > 0.2")
    rows = (dump["day"] == "2026-11-30") & (dump["w"] > 0.2)
    assert list(got) == list(MODELS)
    for m, stats in got.items():
        sel = rows & (dump["model"] == m)
        assert_like_sklearn(stats, dump["y"][sel], dump["p"][sel])
    result = io.count_files(URI, true="y", pred="p", where="model = 'v2'")
    assert result.n_files == 4  # the v1 partitions are not even opened


def run_cli(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_save_shards_then_report(dump, tmp_path, capsys):
    base = ["--true", "y", "--pred", "p", "--group-by", "day", "-q"]
    for m in MODELS:
        code, _, err = run_cli(capsys, "score", f"{URI}model={m}/", *base,
                               "--save", tmp_path / f"{m}.json")
        assert code == 0, err
    code, out, err = run_cli(capsys, "report", *(tmp_path / f"{m}.json" for m in MODELS),
                             "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["n_rows"] == len(dump["y"]) and data["n_files"] == 8
    assert data["f1"]["macro"] == skm.f1_score(dump["y"], dump["p"], average="macro")
    for day, scores in data["groups"].items():
        sel = dump["day"] == day
        assert scores["f1"]["macro"] == skm.f1_score(dump["y"][sel], dump["p"][sel],
                                                     average="macro")
    saved = json.loads((tmp_path / "v1.json").read_text())
    assert all(f["uri"].startswith(f"{URI}model=v1/") for f in saved["files"])


def test_resume_after_the_process_is_killed(s3, tmp_path):
    # a dump of many small files, counted slowly (tiny chunks): the run is killed once it has
    # saved some files, then resumed; the result is scikit-learn's on all rows
    ys, ps = [], []
    for i in range(24):
        rng = np.random.default_rng(100 + i)
        y = rng.integers(0, 3, 4000)
        p = np.where(rng.random(4000) < 0.5, y, rng.integers(0, 3, 4000))
        _put_parquet(s3, f"slow/day={i:02d}/part-0.parquet", pa.table({"y": y, "p": p}))
        ys.append(y)
        ps.append(p)
    save = tmp_path / "run.json"
    argv = [sys.executable, "-m", "fastf1", "score", f"s3://{BUCKET}/slow/", "--true", "y",
            "--pred", "p", "--chunk-rows", "16", "-q", "--save", str(save), "--resume"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        os.path.dirname(os.path.dirname(os.path.abspath(cli.__file__))),
        os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    saved = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if save.exists():
            saved = len(json.loads(save.read_text())["files"])
            if saved >= 2:
                break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    saved = len(json.loads(save.read_text())["files"])
    assert 2 <= saved < 24
    # the chunk size is no option of the counts: the rest is read in large chunks
    done = subprocess.run([*argv, "--json", "--chunk-rows", "1e6"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    y, p = np.concatenate(ys), np.concatenate(ps)
    assert data["n_rows"] == len(y) and data["n_files"] == 24
    assert data["per_class"]["support"] == np.bincount(y).tolist()
    assert data["f1"]["macro"] == skm.f1_score(y, p, average="macro")
    assert len(json.loads(save.read_text())["files"]) == 24


@pytest.mark.parametrize("uri, match", [
    ("s3://no-such-bucket/dump/", "no-such-bucket"),
    (f"s3://{BUCKET}/nothing-here/", "no such file or directory"),
    (f"s3://{BUCKET}/dump/model=v3/**/*.parquet", "no file matches"),
])
def test_missing_bucket_or_key_is_one_line(dump, capsys, uri, match):
    code, out, err = run_cli(capsys, "score", uri, "--true", "y", "--pred", "p", "-q")
    assert code == 1 and out == ""
    assert err.startswith("fastf1: error:") and match in err and err.count("\n") == 1


def test_missing_key_of_a_file_is_one_line(dump, capsys):
    uri = f"{URI}model=v1/day={DAYS[0]}/part-00009.parquet"
    code, out, err = run_cli(capsys, "score", uri, "--true", "y", "--pred", "p", "-q")
    assert code == 1 and out == ""
    assert err == f"fastf1: error: {uri}: no such file or directory\n"


def _require_auth(count: str) -> None:
    """Set how many more requests moto's server serves before it checks every request's
    signature and IAM permissions (its INITIAL_NO_AUTH_ACTION_COUNT, through its API)."""
    request = urllib.request.Request(f"{os.environ['AWS_ENDPOINT_URL']}/moto-api/reset-auth",
                                     data=count.encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["status"] == "ok"


@pytest.fixture
def iam_keys(s3):
    """Access keys of two IAM users (one may read everything, one nothing), an unknown key
    and a wrong secret, with the server checking every request until the test ends."""
    iam = boto3.client("iam")
    keys = {}
    for user, policy in (("reader", "s3:*"), ("stranger", None)):
        try:
            iam.create_user(UserName=user)
        except iam.exceptions.EntityAlreadyExistsException:
            iam.delete_access_key(UserName=user, AccessKeyId=iam.list_access_keys(
                UserName=user)["AccessKeyMetadata"][0]["AccessKeyId"])
        if policy:
            iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": policy, "Resource": "*"}]}))
        key = iam.create_access_key(UserName=user)["AccessKey"]
        keys[user] = (key["AccessKeyId"], key["SecretAccessKey"])
    keys["unknown key"] = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    keys["wrong secret"] = (keys["reader"][0], "not-the-secret")
    _require_auth("0")
    try:
        yield keys
    finally:
        _require_auth("inf")


@pytest.fixture(scope="module")
def plain_file(s3):
    """One file by a plain key, and its rows: moto's server checks the signature of a
    HeadObject the way S3 does, but refuses valid ones for keys with "=" and for
    ListObjectsV2 queries."""
    y, p = np.array([0, 1, 1, 2] * 75), np.array([0, 1, 2, 2] * 75)
    _put_parquet(s3, "plain/part-0.parquet", pa.table({"y": y, "p": p}))
    return f"s3://{BUCKET}/plain/part-0.parquet", y, p


@pytest.mark.parametrize("who", ["unknown key", "wrong secret", "stranger"])
def test_refused_credentials_are_one_line(plain_file, iam_keys, monkeypatch, capsys, who):
    uri, y, p = plain_file
    argv = ["score", uri, "--true", "y", "--pred", "p", "-q", "--json"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", iam_keys["reader"][0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", iam_keys["reader"][1])
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err  # the same request with credentials that may read it
    assert json.loads(out)["f1"]["macro"] == skm.f1_score(y, p, average="macro")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", iam_keys[who][0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", iam_keys[who][1])
    code, out, err = run_cli(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith(f"fastf1: error: {uri}: access refused") and err.count("\n") == 1
    assert "AWS_ACCESS_KEY_ID" in err and "Traceback" not in err
