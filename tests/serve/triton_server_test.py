#!/usr/bin/env python3
"""The graphtx Triton backend under the real server (ctest label `triton`).

    triton_server_test.py --backend libtriton_graphtx_small.so --reference serve_reference
                          [--seed-backend libtriton_graphtx.so --seed-reference serve_reference_seed]

Needs a virtual environment with nvidia-pytriton (tritonserver 2.51) and tritonclient[all]
(tools/triton/install-venv makes one): $GRAPHTX_TRITON_VENV, else ~/.cache/graphtx/venv-triton.
Without it the test prints why and exits 77, which ctest reports as skipped (never passed).

Starts tritonserver on 127.0.0.1 (free ports) with a model repository it makes in a temporary
folder, and checks:
  1. predictions through HTTP and gRPC, one request at a time, are bitwise the library's own
     forward of each graph by itself (serve_reference, same OpenMP thread count: 1);
  2. concurrent requests, which the dynamic batcher merges (checked in the server's statistics),
     equal the one-at-a-time predictions within fp32 tolerance (rtol 1e-5, atol 1e-6: a merged
     batch may take other GEMM kernels) and the library's merged forward;
  3. a concurrent mix of valid and hostile requests (wrong dtype, missing input, negative and
     out-of-range edge ids, wrong feature width, NaN with check_finite, over max_request_nodes):
     every valid one gets its answer, every hostile one an error naming the input and the problem,
     and the server is alive after;
  4. a bounded soak (count and time) loses no request;
  5. a model whose weights file is missing, or does not fit, fails to load with the library's message;
  6. (with --seed-backend) the seed model served by libtriton_graphtx.so equals its library forward;
  7. (with --gps-backend) a model with int64 x and edge_attr (the GPS molecule model of tests/runner),
     its graphs sent concurrently, equals PyG's y within the library's PyG tolerance (rtol 1e-4, atol 1e-5).
"""
import argparse
import concurrent.futures as cf
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SKIP = 77


def venv_python():
    venv = os.environ.get("GRAPHTX_TRITON_VENV") or os.path.expanduser("~/.cache/graphtx/venv-triton")
    py = os.path.join(venv, "bin", "python")
    return venv, py


def ensure_env():
    """Re-executes under the venv's python; exits 77 (skipped) when the environment is missing."""
    venv, py = venv_python()
    if os.path.realpath(sys.prefix) != os.path.realpath(venv):
        if not os.path.exists(py):
            print(f"SKIPPED: no Triton virtual environment at {venv} (make one with tools/triton/install-venv, "
                  "or set GRAPHTX_TRITON_VENV)")
            sys.exit(SKIP)
        os.execv(py, [py] + sys.argv)
    try:
        import numpy  # noqa: F401
        import safetensors  # noqa: F401
        import tritonclient.grpc  # noqa: F401
        import tritonclient.http  # noqa: F401
        import pytriton
    except ImportError as e:
        print(f"SKIPPED: the Triton environment {venv} lacks a package: {e}")
        sys.exit(SKIP)
    server = os.path.join(os.path.dirname(pytriton.__file__), "tritonserver", "bin", "tritonserver")
    if not os.path.exists(server):
        print(f"SKIPPED: nvidia-pytriton in {venv} ships no tritonserver at {server}")
        sys.exit(SKIP)
    return server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """name: "{name}"
backend: "{backend}"
max_batch_size: 64
input [
  {{ name: "x" data_type: TYPE_FP32 dims: [ -1, 9 ] allow_ragged_batch: true }},
  {{ name: "edge_index" data_type: TYPE_INT64 dims: [ 2, -1 ] allow_ragged_batch: true }}
]
output [ {{ name: "y" data_type: TYPE_FP32 dims: [ 1 ] }} ]
dynamic_batching {{ max_queue_delay_microseconds: 5000 }}
instance_group [ {{ count: {count} kind: KIND_CPU }} ]
parameters [
  {{ key: "omp_threads" value: {{ string_value: "1" }} }},
  {{ key: "check_finite" value: {{ string_value: "true" }} }},
  {{ key: "max_request_nodes" value: {{ string_value: "500" }} }}
]
"""


def make_model(repo, name, backend_so, backend, weights=None, count=1):
    d = os.path.join(repo, name)
    os.makedirs(os.path.join(d, "1"))
    shutil.copy(backend_so, os.path.join(d, f"libtriton_{backend}.so"))
    with open(os.path.join(d, "config.pbtxt"), "w") as f:
        f.write(CONFIG.format(name=name, backend=backend, count=count))
    if weights is not None:
        weights(os.path.join(d, "1", "model.safetensors"))


def main():
    server_bin = ensure_env()
    import numpy as np
    from safetensors.numpy import load_file, save_file
    import tritonclient.grpc as grpcclient
    import tritonclient.http as httpclient
    from tritonclient.utils import InferenceServerException

    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--seed-backend")
    ap.add_argument("--seed-reference")
    ap.add_argument("--gps-backend")
    ap.add_argument("--gps-data", help="prefix of PREFIX.weights.safetensors and PREFIX.io.safetensors")
    ap.add_argument("--soak", type=int, default=10000)
    ap.add_argument("--soak-seconds", type=float, default=60)
    args = ap.parse_args()

    failures = []
    passed = []

    def check(cond, what):
        (passed if cond else failures).append(what)
        print(("ok   " if cond else "FAIL ") + what, flush=True)

    rng = np.random.default_rng(7)

    def molecule(n, e):
        x = rng.integers(0, 10, size=(n, 9)).astype(np.float32)
        if n == 0 or e == 0:
            return x, np.zeros((2, 0), np.int64)
        src = rng.integers(0, n, size=e)
        dst = rng.integers(0, n, size=e)
        return x, np.stack([src, dst]).astype(np.int64)

    graphs = [molecule(int(n), int(n * 2)) for n in rng.integers(1, 40, size=40)]
    graphs[3] = molecule(5, 0)     # no edges
    graphs[4] = molecule(1, 0)     # one node
    graphs[5] = molecule(60, 150)  # larger

    tmp = tempfile.mkdtemp(prefix="graphtx-triton-")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = None
    try:
        weights = os.path.join(tmp, "small.safetensors")
        subprocess.run([args.reference, "weights", weights, "11"], check=True, env=env)
        gfile = os.path.join(tmp, "graphs.safetensors")
        tensors = {}
        for i, (x, ei) in enumerate(graphs):
            tensors[f"x_{i}"] = x
            tensors[f"edge_index_{i}"] = ei
        save_file(tensors, gfile)
        rfile = os.path.join(tmp, "ref.safetensors")
        subprocess.run([args.reference, "forward", weights, gfile, rfile], check=True, env=env)
        ref = load_file(rfile)
        single, merged = ref["single"], ref["merged"]

        repo = os.path.join(tmp, "repo")
        os.makedirs(repo)
        make_model(repo, "small", args.backend, "graphtx_small", lambda p: shutil.copy(weights, p))
        make_model(repo, "small2", args.backend, "graphtx_small", lambda p: shutil.copy(weights, p), count=2)
        make_model(repo, "no_weights", args.backend, "graphtx_small")
        make_model(repo, "bad_weights", args.backend, "graphtx_small",
                   lambda p: save_file({"convs.0.lin_query.weight": np.zeros((3, 3), np.float32)}, p))
        seed = args.seed_backend and args.seed_reference
        if seed:
            seed_w = os.path.join(tmp, "seed.safetensors")
            subprocess.run([args.seed_reference, "weights", seed_w, "3"], check=True, env=env)
            make_model(repo, "seed", args.seed_backend, "graphtx", lambda p: os.link(seed_w, p))

        gps = args.gps_backend and args.gps_data
        if gps:
            d = os.path.join(repo, "gps")
            os.makedirs(os.path.join(d, "1"))
            shutil.copy(args.gps_backend, os.path.join(d, "libtriton_graphtx_gps.so"))
            shutil.copy(args.gps_data + ".weights.safetensors", os.path.join(d, "1", "model.safetensors"))
            with open(os.path.join(d, "config.pbtxt"), "w") as f:
                f.write('backend: "graphtx_gps"\nmax_batch_size: 64\ninput [\n'
                        '  { name: "x" data_type: TYPE_INT64 dims: [ -1, 9 ] allow_ragged_batch: true },\n'
                        '  { name: "edge_index" data_type: TYPE_INT64 dims: [ 2, -1 ] allow_ragged_batch: true },\n'
                        '  { name: "edge_attr" data_type: TYPE_INT64 dims: [ -1, 3 ] allow_ragged_batch: true }\n]\n'
                        'output [ { name: "y" data_type: TYPE_FP32 dims: [ 1 ] } ]\n'
                        'dynamic_batching { max_queue_delay_microseconds: 20000 }\n'
                        'instance_group [ { count: 1 kind: KIND_CPU } ]\n'
                        'parameters [ { key: "omp_threads" value: { string_value: "1" } } ]\n')

        http_port, grpc_port, metrics_port = free_port(), free_port(), free_port()
        log_path = os.path.join(tmp, "server.log")
        log = open(log_path, "w")
        cmd = [server_bin, f"--model-repository={repo}", "--model-control-mode=explicit",
               "--load-model=small", "--load-model=small2",
               "--http-address=127.0.0.1", f"--http-port={http_port}",
               "--grpc-address=127.0.0.1", f"--grpc-port={grpc_port}",
               "--metrics-address=127.0.0.1", f"--metrics-port={metrics_port}", "--allow-gpu-metrics=false",
               f"--backend-directory={os.path.join(os.path.dirname(server_bin), '..', 'backends')}",
               "--log-verbose=0", "--exit-timeout-secs=10"]
        if seed:
            cmd.append("--load-model=seed")
        if gps:
            cmd.append("--load-model=gps")
        t0 = time.time()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        http = httpclient.InferenceServerClient(f"127.0.0.1:{http_port}")
        ready = False
        while time.time() - t0 < 60 and proc.poll() is None:
            try:
                if http.is_server_ready():
                    ready = True
                    break
            except Exception:
                pass
            time.sleep(0.2)
        print(f"server ready: {ready} after {time.time() - t0:.1f} s", flush=True)
        if not ready:
            log.flush()
            print(open(log_path).read()[-4000:])
            check(False, "tritonserver starts and loads the graphtx backend")
            raise SystemExit(1)
        check(True, "tritonserver starts and loads the graphtx backend")

        local = threading.local()

        def client(kind):
            c = getattr(local, kind, None)
            if c is None:
                c = (httpclient.InferenceServerClient(f"127.0.0.1:{http_port}") if kind == "http"
                     else grpcclient.InferenceServerClient(f"127.0.0.1:{grpc_port}"))
                setattr(local, kind, c)
            return c

        def infer(kind, x, ei, model="small", x_dtype="FP32", ei_dtype="INT64", skip=()):
            mod = httpclient if kind == "http" else grpcclient
            inputs = []
            if "x" not in skip:
                i = mod.InferInput("x", [1, *x.shape], x_dtype)
                i.set_data_from_numpy(x[None])
                inputs.append(i)
            if "edge_index" not in skip:
                i = mod.InferInput("edge_index", [1, *ei.shape], ei_dtype)
                i.set_data_from_numpy(ei[None])
                inputs.append(i)
            r = client(kind).infer(model, inputs, outputs=[mod.InferRequestedOutput("y")])
            return r.as_numpy("y")

        # 1. one at a time, bitwise
        for kind in ("http", "grpc"):
            ys = np.concatenate([infer(kind, x, ei) for x, ei in graphs])
            check(ys.shape == single.shape and np.array_equal(ys, single),
                  f"{kind}: one request at a time, y bitwise equal to the library's forward of each graph "
                  f"({len(graphs)} graphs; max |diff| {np.abs(ys - single).max():.3g})")

        # 2. concurrent: merged by the dynamic batcher
        def stats(model):
            s = http.get_inference_statistics(model)["model_stats"][0]
            return int(s["inference_count"]), int(s["execution_count"])

        for model in ("small", "small2"):
            inf0, exe0 = stats(model)
            with cf.ThreadPoolExecutor(16) as pool:
                futs = [pool.submit(infer, "grpc" if i % 2 else "http", x, ei, model)
                        for i, (x, ei) in enumerate(graphs)]
                ys = np.concatenate([f.result() for f in futs])
            inf1, exe1 = stats(model)
            diff = np.abs(ys - single).max()
            check(np.allclose(ys, single, rtol=1e-5, atol=1e-6) and np.allclose(ys, merged, rtol=1e-5, atol=1e-6),
                  f"{model}: 40 concurrent requests equal one-at-a-time within rtol 1e-5 atol 1e-6 "
                  f"(max |diff| {diff:.3g}, bitwise: {np.array_equal(ys, single)})")
            check(exe1 - exe0 < inf1 - inf0,
                  f"{model}: the dynamic batcher merged requests ({inf1 - inf0} inferences in {exe1 - exe0} executions)")

        # 3. valid and hostile, concurrently
        x0, ei0 = graphs[0]
        n0 = x0.shape[0]
        nan_x = x0.copy()
        nan_x[1, 2] = np.nan
        bad_neg = ei0.copy()
        bad_neg[0, 1] = -1
        bad_oob = ei0.copy()
        bad_oob[1, 2] = n0
        big = molecule(600, 10)
        hostile = [
            (lambda k: infer(k, x0.astype(np.float64), ei0, x_dtype="FP64"), ["x", "FP64"]),
            (lambda k: infer(k, x0, ei0.astype(np.int32), ei_dtype="INT32"), ["edge_index", "INT32"]),
            (lambda k: infer(k, x0, ei0, skip=("edge_index",)), ["edge_index"]),
            (lambda k: infer(k, x0, bad_neg), ["edge_index", "edge 1", "negative"]),
            (lambda k: infer(k, x0, bad_oob), ["edge_index", "edge 2", f"id {n0}", "outside"]),
            (lambda k: infer(k, x0[:, :8].copy(), ei0), ["x"]),
            (lambda k: infer(k, nan_x, ei0), ['input "x"', "row 1, column 2", "nan"]),
            (lambda k: infer(k, *big), ["x", "600 nodes", "max_request_nodes"]),
        ]
        jobs = []
        for rep in range(3):
            for i, (x, ei) in enumerate(graphs[:12]):
                jobs.append(("valid", i, x, ei, "http" if (i + rep) % 2 else "grpc"))
            for h, (fn, words) in enumerate(hostile):
                jobs.append(("hostile", h, fn, words, "grpc" if (h + rep) % 2 else "http"))
        rng.shuffle(jobs)

        def run_job(job):
            kind = job[4]
            try:
                if job[0] == "valid":
                    return job, infer(kind, job[2], job[3]), None
                return job, job[2](kind), None
            except InferenceServerException as e:
                return job, None, e.message()

        with cf.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(run_job, jobs))
        ok_valid = ok_hostile = 0
        for job, y, err in results:
            if job[0] == "valid":
                good = err is None and np.allclose(y[0], single[job[1]], rtol=1e-5, atol=1e-6)
                ok_valid += good
                if not good:
                    print(f"   valid request {job[1]} ({job[4]}): {err or y}")
            else:
                good = err is not None and all(w in err for w in job[3])
                ok_hostile += good
                if not good:
                    print(f"   hostile request {job[1]} ({job[4]}): expected {job[3]} in the error, got: {err}")
        nv = sum(j[0] == "valid" for j in jobs)
        check(ok_valid == nv, f"mix: {ok_valid}/{nv} valid requests answered correctly beside hostile ones")
        check(ok_hostile == len(jobs) - nv,
              f"mix: {ok_hostile}/{len(jobs) - nv} hostile requests got an error naming the input and the problem")
        for _, y, err in results:
            if _[0] == "hostile" and _[1] in (3, 4, 6, 7) and err:
                print(f"   e.g. {err}")
                break
        check(http.is_server_live() and http.is_server_ready() and
              np.array_equal(infer("http", *graphs[1]), single[1:2]), "server alive and correct after the mix")

        # 4. soak
        t_soak = time.time()
        deadline = t_soak + args.soak_seconds
        lost = []
        done = [0]

        def soak_one(i):
            if time.time() > deadline:
                return i, "deadline"
            x, ei = graphs[i % len(graphs)]
            try:
                y = infer("grpc" if i % 3 else "http", x, ei, "small2" if i % 2 else "small")
            except InferenceServerException as e:
                return i, e.message()
            return i, None if np.allclose(y[0], single[i % len(graphs)], rtol=1e-5, atol=1e-6) else "wrong y"

        with cf.ThreadPoolExecutor(16) as pool:
            for i, err in pool.map(soak_one, range(args.soak)):
                if err:
                    lost.append((i, err))
                else:
                    done[0] += 1
        dt = time.time() - t_soak
        check(not lost, f"soak: {done[0]}/{args.soak} requests answered correctly in {dt:.1f} s "
                        f"({done[0] / dt:.0f} graphs/s, 16 clients){'; lost: ' + str(lost[:3]) if lost else ''}")

        # 5. load failures with the library's message
        for model, words in (("no_weights", ["model.safetensors", "does not exist"]),
                             ("bad_weights", ["model.safetensors", "state_dict: missing key"])):
            try:
                http.load_model(model)
                msg = None
            except InferenceServerException as e:
                msg = e.message()
            check(msg is not None and all(w in msg for w in words),
                  f"{model}: load fails with the library's message ({msg})")
        check(http.is_server_live() and np.array_equal(infer("grpc", *graphs[2]), single[2:3]),
              "server serving after the failed loads")

        # 6. the seed model
        if seed:
            sfile = os.path.join(tmp, "seed_ref.safetensors")
            subprocess.run([args.seed_reference, "forward", seed_w, gfile, sfile], check=True, env=env)
            sref = load_file(sfile)["single"]
            ys = np.concatenate([infer("http", x, ei, "seed") for x, ei in graphs[:8]])
            check(np.array_equal(ys, sref[:8]),
                  f"seed model (libtriton_graphtx.so): 8 graphs one at a time, bitwise the library's forward "
                  f"(max |diff| {np.abs(ys - sref[:8]).max():.3g})")

        # 7. int64 x and edge_attr: the GPS molecule model against PyG
        if gps:
            io = load_file(args.gps_data + ".io.safetensors")
            ptr = io["ptr"]

            def gps_request(g):
                n0, n1 = int(ptr[g]), int(ptr[g + 1])
                m = (io["edge_index"][0] >= n0) & (io["edge_index"][0] < n1)
                parts = (("x", io["x"][n0:n1]), ("edge_index", io["edge_index"][:, m] - n0),
                         ("edge_attr", io["edge_attr"][m]))
                ins = []
                for name, arr in parts:
                    i = grpcclient.InferInput(name, [1, *arr.shape], "INT64")
                    i.set_data_from_numpy(np.ascontiguousarray(arr, dtype=np.int64)[None])
                    ins.append(i)
                return client("grpc").infer("gps", ins).as_numpy("y")[0]

            inf0, exe0 = stats("gps")
            with cf.ThreadPoolExecutor(8) as pool:
                ys = np.stack(list(pool.map(gps_request, range(len(ptr) - 1))))
            inf1, exe1 = stats("gps")
            err = np.abs(ys - io["y"]).max()
            check(np.allclose(ys, io["y"], rtol=1e-4, atol=1e-5),
                  f"gps (int64 x, edge_attr): {len(ys)} graphs sent concurrently ({inf1 - inf0} inferences in "
                  f"{exe1 - exe0} executions) equal PyG's y within rtol 1e-4 atol 1e-5 (max |diff| {err:.3g})")

        # metrics
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10) as r:
            text = r.read().decode()
        check('nv_inference_request_success{model="small"' in text, "metrics: nv_inference_request_success for small")
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if proc is not None:
            try:
                lines = [l for l in open(os.path.join(tmp, "server.log")) if "graphtx" in l]
                print("server log (graphtx lines):\n  " + "  ".join(lines[-8:]))
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(passed)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
