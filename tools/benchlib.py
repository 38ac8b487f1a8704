"""Helpers shared by tools/bench-capture, tools/bench-concurrent and tools/soak-capture: CPU of processes and of their
threads from /proc, the control socket, and the continuity of a recorded tone."""
import json
import os
import re
import socket
import subprocess


def threads_cpu(pid):
    """{tid: (name, CPU ns)} of a process's live threads, from /proc/PID/task/TID/schedstat (ns
    precision; /proc/PID/stat counts 10 ms ticks)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            ns = int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
        except OSError:
            continue  # the thread ended
        out[tid] = (name, ns)
    return out


def children_cpu(pid):
    """CPU seconds of the reaped children of a process (cutime + cstime: pw-record under the sidecar)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def thread_dump(pid, extended=False):
    """jcmd PID Thread.print [-e] (HotSpot's thread dump), or "" when jcmd cannot attach."""
    jcmd = os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "jcmd")
    try:
        return subprocess.run([jcmd if os.path.exists(jcmd) else "jcmd", str(pid), "Thread.print"]
                              + (["-e"] if extended else []), capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def jvm_thread_names(pid):
    """{tid: Java thread name} from the thread dump (PipeWire's native threads attached by JNA keep
    the /proc name of the thread that created them, e.g. "capstan-pw-data")."""
    names = {}
    for m in re.finditer(r'^"([^"]*)".*?nid=(0x[0-9a-f]+|\d+)', thread_dump(pid), re.M):
        names[str(int(m.group(2), 0))] = m.group(1)  # hex before JDK 19, decimal since
    return names


def breakdown(per_thread, seconds, names=None, top=8):
    """Lines naming the threads that cost most, in % of a core."""
    rows = {}
    for tid, (name, s) in per_thread.items():
        label = (names or {}).get(tid, name)
        label = re.sub(r"\d+$", "N", re.sub(r"-\d{8}-\d{6}-\d+-[0-9a-f]+$", "", label))  # one row per kind of thread
        rows[label] = rows.get(label, 0) + s
    ranked = sorted(rows.items(), key=lambda kv: -kv[1])
    return [f"    {label:40} {s / seconds * 100:6.3f} %" for label, s in ranked[:top] if s > 0]


def live_descendants_cpu(pid):
    """CPU seconds so far of the live descendants of a process (e.g. the sidecar backend's
    long-running pw-dump --monitor), which its own /proc stat does not count until they are reaped."""
    total, stack, seen = 0.0, [str(pid)], set()
    while stack:
        p = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                kids = open(f"/proc/{p}/task/{t}/children").read().split()
            except OSError:
                continue
            for k in kids:
                if k in seen:
                    continue
                seen.add(k)
                stack.append(k)
                try:
                    f = open(f"/proc/{k}/stat").read().rsplit(")", 1)[1].split()
                    total += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
                except OSError:
                    pass
    return total


def jvm_thread_allocations(pid):
    """{Java thread name: bytes it allocated so far} from the extended thread dump (HotSpot's
    per-thread allocation counter, as ThreadMXBean.getThreadAllocatedBytes reads it; printed in B,
    K or M, so precise to 1 KiB above 1 KiB)."""
    scale = {"B": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    return {m.group(1): int(m.group(2)) * scale[m.group(3)]
            for m in re.finditer(r'^"([^"]*)".*?allocated=(\d+)([BKMG])', thread_dump(pid, True), re.M)}


def wav_left(path):
    import numpy as np  # only the tools that analyse audio need numpy
    """Left channel of a float32 stereo WAV/RF64 file, as a numpy array."""
    data = open(path, "rb").read()
    pos = 12
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        if cid == b"data":
            body = data[pos + 8:] if size in (0xFFFFFFFF, 0) else data[pos + 8:pos + 8 + size]
            body = body[:len(body) // 8 * 8]
            return np.frombuffer(body, dtype="<f4")[0::2]
        pos += 8 + size + (size & 1)
    raise ValueError(f"{path}: no data chunk")


def continuity(left, freq=440, rate=48000, amplitude=0.5):
    """(jumps inside the tone, frames of exact silence after the tone started, tone start frame)."""
    import numpy as np
    nz = np.flatnonzero(np.abs(left) >= 1e-3)
    if len(nz) == 0:
        return None, len(left), len(left)
    start = int(nz[0])
    x = left[start:]
    step = np.abs(np.diff(x))
    max_step = 2 * np.pi * freq / rate * amplitude * 1.05
    bad = np.flatnonzero(step > max_step) + 1
    # A break where either side is exact silence is the feeder missing a cycle (upstream of the capture).
    jumps = [int(i) for i in bad if x[i] != 0.0 and x[i - 1] != 0.0]
    silent = int(np.count_nonzero(x == 0.0))
    return len(jumps), silent, start


class Control:
    """One control-socket connection: JSON lines, replies in order."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb")
        self.next_id = 0

    def send(self, cmd, **args):
        self.next_id += 1
        self.file.write((json.dumps({"id": self.next_id, "cmd": cmd, **args}) + "\n").encode())

    def reply(self):
        line = self.file.readline()
        if not line:
            raise EOFError("control socket closed")
        return json.loads(line)

    def call(self, cmd, **args):
        self.send(cmd, **args)
        self.file.flush()
        while True:
            r = self.reply()
            if "id" in r:
                if not r["ok"]:
                    raise RuntimeError(f"{cmd}: {r['error']}")
                return r["result"]
