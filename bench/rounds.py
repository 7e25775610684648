#!/usr/bin/env python3
"""Interleaved, quiet timing for bench/ (see bench/README.md).

usage: rounds.py [-r ROUNDS] [--quiet-frac F] [--max-wait S] [-t TITLE]
                 -c NAME CMD [-c NAME CMD ...]

Each round runs every command once, in turn (so a slow spell of the
machine hits them all alike), under /usr/bin/time.  A round starts only
when the machine is quiet: the CPU time of every other process and the
host's steal, read from /proc/stat over half a second, is under F of one
core (default 0.10).  The same counts are taken before and after each run:
a run during which the other processes used more than F of one core is
dropped and said so; the host's steal during a run is given in its own
column (median cores taken, over the kept runs), not dropped for.
Rounds go on until every command has ROUNDS kept runs (default 5; at most
3 x ROUNDS rounds).  The table gives medians, and ratios to the rows named
"gzip -dc", "igzip -dc" and "floor" when the table has them.
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

HZ = os.sysconf("SC_CLK_TCK")


def cpu_times():
    """Seconds of CPU this machine's processes have used so far, and the
    seconds the host has taken from its virtual CPUs (steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / HZ, (v[7] if len(v) > 7 else 0) / HZ


def busy():
    """What keeps a round from starting: local CPU and steal together."""
    return sum(cpu_times())


def wait_quiet(frac, max_wait):
    start = time.time()
    said = False
    while True:
        b0, t0 = busy(), time.time()
        time.sleep(0.5)
        others = (busy() - b0) / (time.time() - t0)
        if others <= frac:
            return True
        if not said:
            print("  (waiting for a quiet machine: others use %.2f cores)" % others,
                  file=sys.stderr)
            said = True
        if time.time() - start > max_wait:
            return False


def run_once(cmd, tmp):
    out = os.path.join(tmp, "time")
    (b0, s0), t0 = cpu_times(), time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", out, "sh", "-c", cmd],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, (b1, s1) = time.perf_counter() - t0, cpu_times()  # finer than time's %e
    with open(out) as f:
        _, user, sys_, rss = f.read().split()[-4:]
    cpu = float(user) + float(sys_)
    # the run's own CPU, what the other processes did meanwhile, and the
    # host's steal (a run on two cores meets about twice a one-core run's)
    return r.returncode, wall, cpu, int(rss) / 1024, max(0.0, (b1 - b0) - cpu), s1 - s0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-r", "--rounds", type=int, default=5)
    ap.add_argument("--quiet-frac", type=float, default=0.10)
    ap.add_argument("--max-wait", type=float, default=300)
    ap.add_argument("-t", "--title", default="")
    ap.add_argument("-c", nargs=2, action="append", metavar=("NAME", "CMD"), required=True)
    a = ap.parse_args()
    cmds = a.c
    kept = {n: [] for n, _ in cmds}
    dropped = {n: 0 for n, _ in cmds}
    with tempfile.TemporaryDirectory() as tmp:
        for rnd in range(3 * a.rounds):
            if all(len(kept[n]) >= a.rounds for n, _ in cmds):
                break
            if not wait_quiet(a.quiet_frac, a.max_wait):
                print("bench: the machine was never quiet for %.0f s: stopped" % a.max_wait,
                      file=sys.stderr)
                break
            for name, cmd in cmds:
                rc, wall, cpu, rss, others, steal = run_once(cmd, tmp)
                if rc != 0:
                    print("bench: %s failed (exit %d): %s" % (name, rc, cmd), file=sys.stderr)
                    return 1
                # both counts are in clock ticks: two ticks of slack, or
                # every short run (the floor's 0.1 s) is dropped for rounding
                if others > a.quiet_frac * max(wall, 0.01) + 2.0 / HZ:
                    dropped[name] += 1
                    print("  round %d: %s disturbed (others used %.2f s of CPU in %.2f s): "
                          "dropped" % (rnd + 1, name, others, wall), file=sys.stderr)
                    continue
                kept[name].append((wall, cpu, rss, steal / max(wall, 0.01)))
    med = {n: statistics.median(k[0] for k in v) if v else float("nan")
           for n, v in kept.items()}
    refs = [r for r in ("gzip -dc", "igzip -dc", "floor") if r in med]
    if a.title:
        print("\n== " + a.title)
    head = "%-30s %8s" % ("command", "median s") + "".join(" %10s" % ("/ " + r) for r in refs)
    print(head + " %8s %8s %7s %9s" % ("cpu s", "peak MiB", "steal", "kept/drop"))
    for name, _ in cmds:
        v = kept[name]
        cpu = statistics.median(k[1] for k in v) if v else float("nan")
        rss = max((k[2] for k in v), default=float("nan"))
        steal = statistics.median(k[3] for k in v) if v else float("nan")
        line = "%-30s %8.3f" % (name, med[name])
        line += "".join(" %10.2f" % (med[name] / med[r]) if med[r] > 0 else " %10s" % "-"
                        for r in refs)
        line += " %8.3f %8.1f %7.2f %5d/%d" % (cpu, rss, steal, len(v), dropped[name])
        print(line)
    short = [n for n in kept if len(kept[n]) < a.rounds]
    if short:
        print("note: fewer than %d quiet runs for: %s" % (a.rounds, ", ".join(short)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
