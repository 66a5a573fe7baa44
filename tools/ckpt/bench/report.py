#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the RESULT lines of a benchmark run into tables, CSV and JSON.

    report.py RESULTS_DIR

reads RESULTS_DIR/console.txt (and meta.txt, and the perf reports
profile-*.txt of BENCH_PROFILE) and writes raw.csv, results.csv,
results.json, table.txt and chart.dat there; prints the table.
Speed is reported, never asserted: the targets are evaluated and printed,
and never change the exit status.
"""
import csv
import json
import re
import statistics
import sys
from pathlib import Path

RESULT = re.compile(r"RESULT (workload=\S+ tool=\S+ metric=\S+ value=\S+ unit=\S+ rep=\S+(?: note=\S+)?)")
INFO = re.compile(r"^INFO (.*)$")
ORDER = ["mem16", "mem256", "mem1024", "tree100", "tree100s", "tree1000", "files10k"]
DESCR = {
    "mem16": "1 process, 16 MiB",
    "mem256": "1 process, 256 MiB",
    "mem1024": "1 process, 1 GiB",
    "tree100": "100+1 processes x 4 MiB",
    "tree100s": "100+1 processes x 256 KiB",
    "tree1000": "1000+1 processes x 256 KiB",
    "files10k": "1 process, 10,000 open files",
}


def parse(console):
    rows, infos = [], []
    for line in console.read_text(errors="replace").splitlines():
        m = RESULT.search(line)
        if m:
            row = dict(kv.split("=", 1) for kv in m.group(1).split())
            row.setdefault("note", "")
            rows.append(row)
            continue
        m = INFO.match(line)
        if m:
            infos.append(m.group(1))
    return rows, infos


def summarize(rows):
    groups = {}
    for r in rows:
        key = (r["workload"], r["tool"], r["metric"])
        g = groups.setdefault(key, {"unit": r["unit"], "values": [], "notes": set()})
        if r["value"] != "NA":
            g["values"].append(float(r["value"]))
        if r["note"]:
            g["notes"].add(r["note"])
    out = {}
    for key, g in groups.items():
        v = g["values"]
        out[key] = {
            "workload": key[0], "tool": key[1], "metric": key[2], "unit": g["unit"],
            "n": len(v),
            "median": statistics.median(v) if v else None,
            "min": min(v) if v else None,
            "max": max(v) if v else None,
            "note": ",".join(sorted(g["notes"])),
        }
    return out


def get(s, wl, tool, metric, field="median"):
    e = s.get((wl, tool, metric))
    return e[field] if e else None


def note_text(note):
    """What a note on a missing value says, for the tables."""
    return {"not-implemented-yet": "not implemented yet",
            "not-supported-yet": "not supported yet",
            "fails-on-6.12": "fails on 6.12"}.get(note, note.replace("-", " ") or "-")


def fmt_t(x):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    if x >= 0.01:
        return f"{x:.3f}"
    return f"{x:.4f}"


def fmt_spread(s, wl, tool, metric):
    e = s.get((wl, tool, metric))
    if not e or e["median"] is None:
        return "n/a" if e else "-"
    if e["n"] == 1:
        return fmt_t(e["median"])
    return f"{fmt_t(e['median'])} [{fmt_t(e['min'])}-{fmt_t(e['max'])}]"


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def fmt_size(b):
    if b is None:
        return "-"
    if b >= 1 << 20:
        return f"{b / (1 << 20):.1f} MiB"
    return f"{b / 1024:.0f} KiB"


def table(headers, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "  ".join(str(x).ljust(w) if i == 0 else str(x).rjust(w)
                               for i, (x, w) in enumerate(zip(r, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def targets(s):
    """Each target: (name, measured, goal, verdict)."""
    out = []

    def t(wl, tool):
        return get(s, wl, tool, "time")

    # throughput at 1 GiB: bytes/ckpt time over memcpy's bytes/time
    ck, mc = t("mem1024", "ckpt"), t("mem1024", "memcpy")
    r = mc / ck if ck and mc else None
    out.append(("checkpoint throughput at 1 GiB / memcpy", r, ">= 0.8",
                None if r is None else r >= 0.8))
    for wl, goal in (("mem16", 0.2), ("tree100", 0.2), ("mem1024", 0.5)):
        ck, cr = t(wl, "ckpt"), t(wl, "criu")
        r = ck / cr if ck and cr else None
        out.append((f"checkpoint time / CRIU's, {DESCR[wl]}", r, f"<= {goal}",
                    None if r is None else r <= goal))
    restarts = [wl for wl in ("mem16", "tree100", "mem1024") if t(wl, "ckpt") is not None]
    for wl in restarts:
        rs, cr, mc = get(s, wl, "ckpt", "restart"), get(s, wl, "criu", "restore"), t(wl, "memcpy")
        for name, base, goal in (("CRIU's restore", cr, 0.3), ("memcpy", mc, 2.0)):
            if rs is None:
                e = s.get((wl, "ckpt", "restart"))
                verdict = (note_text(e["note"]) if e else "-")
                out.append((f"restart time / {name}, {DESCR[wl]}", None, f"<= {goal:g}", verdict))
            else:
                r = rs / base if base else None
                out.append((f"restart time / {name}, {DESCR[wl]}", r, f"<= {goal:g}",
                            None if r is None else r <= goal))
    pts = [(get(s, wl, "workload", "memory"), get(s, wl, "ckpt", "time"))
           for wl in ("mem16", "mem256", "mem1024")]
    pts = [(m, t) for m, t in pts if m and t]
    if len(pts) >= 2:
        # linear: the time per MiB at the largest size within 25% of the
        # one at the middle size (the smallest is dominated by fixed costs)
        (m1, t1), (m2, t2) = pts[-2], pts[-1]
        r = (t2 / m2) / (t1 / m1)
        out.append((f"time per MiB, {m2:.0f} vs {m1:.0f} MiB", r, "0.75-1.25", 0.75 <= r <= 1.25))
    t100, t1000 = get(s, "tree100s", "ckpt", "time"), get(s, "tree1000", "ckpt", "time")
    if t100 and t1000:
        r = (t1000 / 1001) / (t100 / 101)
        out.append(("time per process, 1001 vs 101 processes", r, "0.75-1.25", 0.75 <= r <= 1.25))
    return out


def linearity(s):
    """Time per MiB at each size, time per process at 100 and 1000."""
    lines = []
    pts = [(get(s, wl, "workload", "memory"), get(s, wl, "ckpt", "time"))
           for wl in ("mem16", "mem256", "mem1024")]
    pts = [(m, t) for m, t in pts if m and t]
    if len(pts) >= 2:
        n = len(pts)
        mx = sum(m for m, _ in pts) / n
        my = sum(t for _, t in pts) / n
        sxx = sum((m - mx) ** 2 for m, _ in pts)
        b = sum((m - mx) * (t - my) for m, t in pts) / sxx
        a = my - b * mx
        ss = sum((t - my) ** 2 for _, t in pts)
        r2 = 1 - sum((t - (a + b * m)) ** 2 for m, t in pts) / ss if ss else 1.0
        per = ", ".join(f"{m:.0f} MiB: {t / m * 1000:.2f} ms/MiB" for m, t in pts)
        lines.append(f"ckpt time vs memory: {per}; least squares "
                     f"{a * 1000:.1f} ms + {b * 1000:.2f} ms/MiB, R^2 = {r2:.4f}")
    t100, t1000 = get(s, "tree100s", "ckpt", "time"), get(s, "tree1000", "ckpt", "time")
    if t100 and t1000:
        lines.append(f"ckpt time vs processes (256 KiB each): 101 -> {t100:.3f} s, "
                     f"1001 -> {t1000:.3f} s: x{t1000 / t100:.1f} for x9.9 processes; "
                     f"{(t1000 - t100) / 900 * 1000:.2f} ms per added process")
    c100, c1000 = get(s, "tree100s", "criu", "time"), get(s, "tree1000", "criu", "time")
    if c100 and c1000:
        lines.append(f"CRIU time vs processes (256 KiB each): 101 -> {c100:.3f} s, "
                     f"1001 -> {c1000:.3f} s: x{c1000 / c100:.1f}; "
                     f"{(c1000 - c100) / 900 * 1000:.2f} ms per added process")
    return lines


PROFILE_TOP = 15
PROFILE_ROW = re.compile(r"^\s*([\d.]+)%\s+(?:([\d.]+)%\s+)?(\[.\]\s+.*?|\S.*?)\s*$")


def profile_sections(path):
    """The sections of one profile-*.txt: {title: [(percent, [self,] name)]},
    and the sample count perf printed first."""
    sections, cur, samples = {}, None, None
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("== "):
            cur = sections.setdefault(line[3:].split(" (")[0], [])
            continue
        m = re.match(r"# Samples: (\S+)", line)
        if m and samples is None:
            samples = m.group(1)
        if cur is None or line.startswith("#") or not line.strip():
            continue
        m = PROFILE_ROW.match(line)
        if m and not line.lstrip().startswith(("|", "-")):
            cur.append((float(m.group(1)), m.group(3)))
    return sections, samples


def profiles(res):
    """{workload: {phase: (sections, samples)}} from profile-PHASE-WL.txt."""
    out = {}
    for path in sorted(res.glob("profile-*.txt")):
        phase, _, wl = path.stem[len("profile-"):].partition("-")
        out.setdefault(wl, {})[phase] = profile_sections(path)
    return out


def profile_table(res, infos):
    """The top of each profile: self time per symbol, checkpoint beside
    restart."""
    lines = []
    for wl, phases in profiles(res).items():
        order = [p for p in ("checkpoint", "restart") if p in phases]
        order += [p for p in phases if p not in order]
        tops, heads = [], []
        for p in order:
            sections, samples = phases[p]
            tops.append(sections.get("self time by symbol", [])[:PROFILE_TOP])
            comms = sections.get("self time by command", [])
            by = ", ".join(f"{name.strip()} {pct:.1f}%" for pct, name in comms[:4])
            took = next((m.group(1) for m in (re.search(rf"profile {p}-{wl}: exit \d+, (\S+) s", i)
                                                for i in infos) if m), "?")
            heads.append(f"{p}: {samples or '?'} samples in {took} s; by command: {by or '?'}")
        lines.append(f"Profile of {wl} (BENCH_PROFILE): perf record -e cpu-clock -a -g, "
                     f"one run each, whole guest; self time per symbol, top {PROFILE_TOP}; "
                     "[k] kernel, [.] user; more in profile-*-" + wl + ".txt")
        lines.extend("  " + h for h in heads)
        hdr, rows = ["#"], []
        for p in order:
            hdr += [f"{p} %", "symbol"]
        for i in range(max((len(t) for t in tops), default=0)):
            row = [str(i + 1)]
            for t in tops:
                row += [f"{t[i][0]:.2f}", t[i][1]] if i < len(t) else ["", ""]
            rows.append(row)
        if rows:
            widths = [max(len(str(x)) for x in col) for col in zip(hdr, *rows)]
            fmt = lambda r: "  ".join(str(x).rjust(w) if j % 2 == 1 or j == 0 else str(x).ljust(w)
                                      for j, (x, w) in enumerate(zip(r, widths))).rstrip()
            lines += [fmt(hdr), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
        else:
            lines.append("(no samples)")
        lines.append("")
    return lines


def main():
    res = Path(sys.argv[1])
    rows, infos = parse(res / "console.txt")
    meta = {}
    if (res / "meta.txt").exists():
        for line in (res / "meta.txt").read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                meta[k] = v.strip("'")
    s = summarize(rows)

    with open(res / "raw.csv", "w", newline="") as f:
        w = csv.DictWriter(f, ["workload", "tool", "metric", "rep", "value", "unit", "note"])
        w.writeheader()
        w.writerows(rows)
    fields = ["workload", "tool", "metric", "unit", "n", "median", "min", "max", "note"]
    with open(res / "results.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(s.values())

    wls = [wl for wl in ORDER if any(k[0] == wl for k in s)]
    out = []
    online = next((m.group(1) for m in (re.search(r"(\d+) cpus online", i) for i in infos) if m), "?")
    out.append(f"ckpt benchmark, {meta.get('date', '?')}: kernel {meta.get('kernel_release', '?')}, "
               f"QEMU TCG (no KVM), -smp {meta.get('vm_cpus', '?')} ({online} online in the guest), "
               f"{meta.get('vm_mem', '?')}, "
               f"host: {meta.get('host_cpus', '?')} x {meta.get('host_cpu', '?')}")
    cs = [m.group(1) for m in (re.search(r"clocksource (\S+) \(of", i) for i in infos) if m]
    if cs:
        out.append(f"guest clocksource: {cs[0]} at the start, {cs[-1]} at the end"
                   + (" (jiffies: 4 ms steps, small times are coarse)" if "jiffies" in cs[-1] else ""))
    out.append("median [min-max] of the repetitions; times in seconds; n = repetitions")
    out.append("")
    out.append("Checkpoint (ckpt: checkpoint --leave-running -o FILE; CRIU: dump --leave-running)")
    hdr = ["workload", "n", "ckpt", "CRIU dump", "memcpy", "ckpt/CRIU", "ckpt MB/s", "memcpy MB/s", "thr/memcpy"]
    trs = []
    for wl in wls:
        mib = get(s, wl, "workload", "memory") or 0
        ck, cr, mc = get(s, wl, "ckpt", "time"), get(s, wl, "criu", "time"), get(s, wl, "memcpy", "time")
        n = (s.get((wl, "ckpt", "time")) or {}).get("n", 0)
        thr = mib * 1048576 / 1e6 / ck if ck and mib else None
        mthr = get(s, wl, "memcpy", "throughput")
        trs.append([wl, n, fmt_spread(s, wl, "ckpt", "time"), fmt_spread(s, wl, "criu", "time"),
                    fmt_spread(s, wl, "memcpy", "time"), fmt_ratio(ck, cr),
                    f"{thr:.0f}" if thr else "-", f"{mthr:.0f}" if mthr else "-",
                    fmt_ratio(mc, ck)])
    out.append(table(hdr, trs))
    out.append("")
    out.append("Downtime (ckpt: 'froze' to 'thawed' of -v; CRIU: its 'Frozen time'), -z, image sizes")
    hdr = ["workload", "ckpt down", "CRIU down", "ckpt freeze", "ckpt -z", "image", "image -z", "CRIU images"]
    trs = []
    for wl in wls:
        trs.append([wl, fmt_spread(s, wl, "ckpt", "downtime"), fmt_spread(s, wl, "criu", "downtime"),
                    fmt_spread(s, wl, "ckpt", "freeze"), fmt_spread(s, wl, "ckpt-z", "time"),
                    fmt_size(get(s, wl, "ckpt", "size")), fmt_size(get(s, wl, "ckpt-z", "size")),
                    fmt_size(get(s, wl, "criu", "size"))])
    out.append(table(hdr, trs))
    out.append("")
    out.append("Restore (ckpt's budget from the targets: min(0.3 x CRIU restore, 2 x memcpy);")
    out.append("--dry-run only reads and checks the image)")
    rr = []
    for wl in wls:
        cr, mc = get(s, wl, "criu", "restore"), get(s, wl, "memcpy", "time")
        e = s.get((wl, "criu", "restore"))
        crs = fmt_t(cr) if cr is not None else ("fails on 6.12" if e and "fails-on-6.12" in e["note"]
                                                else e["note"] if e else "-")
        budget = [x for x in (0.3 * cr if cr else None, 2 * mc if mc else None) if x]
        e = s.get((wl, "ckpt", "restart"))
        rr.append([wl, "-" if not e else fmt_t(e["median"]) if e["median"] is not None
                   else note_text(e["note"]),
                   fmt_spread(s, wl, "ckpt", "restart_dryrun"), crs,
                   fmt_t(min(budget)) if budget else "-"])
    out.append(table(["workload", "ckpt restart", "ckpt --dry-run", "CRIU restore", "ckpt budget"], rr))
    out.append("")
    out.append("Targets (reported, never asserted)")
    trs = []
    for name, val, goal, ok in targets(s):
        verdict = ok if isinstance(ok, str) else "-" if ok is None else "met" if ok else "missed"
        trs.append([name, "-" if val is None else f"{val:.2f}", goal, verdict])
    out.append(table(["target", "measured", "goal", "verdict"], trs))
    out.append("")
    trs = []
    for wl in wls:
        rd, cp = get(s, wl, "kernel", "read"), get(s, wl, "kernel", "copy")
        if rd is None and cp is None:
            continue
        trs.append([wl, fmt_t(get(s, wl, "ckpt", "time")), fmt_t(get(s, wl, "ckpt", "restart_dryrun")),
                    fmt_t(rd), fmt_t(cp), fmt_t(get(s, wl, "criu", "time")),
                    fmt_t(get(s, wl, "criu", "memwrite")), fmt_t(get(s, wl, "memcpy", "time"))])
    if trs:
        out.append("What copies cost in this VM (dd read: the image from tmpfs to user memory;")
        out.append("dd copy: tmpfs to tmpfs through user memory; CRIU mem write: its splice of the")
        out.append("pages into the image files, from --display-stats)")
        out.append(table(["workload", "ckpt", "ckpt --dry-run", "dd read", "dd copy", "CRIU dump",
                          "CRIU mem write", "memcpy"], trs))
        out.append("")
    out.extend(linearity(s))
    ct = [i for i in infos if i.startswith("criu_target=")]
    if ct:
        out.append(f"CRIU dumped: {ct[-1].split('=', 1)[1]} "
                   "(container: the same `ckpt run` container; plain: a copy of the workload "
                   "as a plain process in its own cgroup)")
    prof = profile_table(res, infos)
    if prof:
        out.append("")
        out.extend(prof[:-1])
    text = "\n".join(out) + "\n"
    (res / "table.txt").write_text(text)
    print(text, end="")

    with open(res / "results.json", "w") as f:
        json.dump({"meta": meta, "info": infos,
                   "results": list(s.values()),
                   "targets": [{"target": n, "measured": v, "goal": g,
                                "verdict": o if isinstance(o, str) else None if o is None
                                else ("met" if o else "missed")}
                               for n, v, g, o in targets(s)],
                   "linearity": linearity(s),
                   "profile": {wl: {p: {"samples": smp,
                                        "self": sec.get("self time by symbol", [])[:PROFILE_TOP],
                                        "children": sec.get("time including callees", [])[:PROFILE_TOP]}
                                    for p, (sec, smp) in phases.items()}
                               for wl, phases in profiles(res).items()}}, f, indent=1)

    # chart.dat: per workload, median min max of checkpoint time (ckpt,
    # CRIU, memcpy) and of downtime (ckpt, CRIU)
    def mmm(wl, tool, metric):
        e = s.get((wl, tool, metric))
        if not e or e["median"] is None:
            return ["NaN"] * 3
        return [f"{e['median']:.6f}", f"{e['min']:.6f}", f"{e['max']:.6f}"]
    with open(res / "chart.dat", "w") as f:
        f.write("# workload ckpt(med min max) criu(...) memcpy(...) ckpt_down(...) criu_down(...)\n")
        for wl in wls:
            f.write(" ".join([wl] + mmm(wl, "ckpt", "time") + mmm(wl, "criu", "time") +
                             mmm(wl, "memcpy", "time") + mmm(wl, "ckpt", "downtime") +
                             mmm(wl, "criu", "downtime")) + "\n")


if __name__ == "__main__":
    main()
