# SPDX-License-Identifier: GPL-2.0
# The benchmark's chart: gnuplot -e "dir='RESULTS_DIR'" chart.gp
# reads RESULTS_DIR/chart.dat (report.py), writes RESULTS_DIR/chart.png:
# left, checkpoint wall time per workload (ckpt, CRIU dump, memcpy of the
# same memory); right, downtime (ckpt: froze..thawed; CRIU: frozen time).
# Bars are medians, whiskers min..max; the y axes are logarithmic.
set terminal pngcairo size 1400,560 font "sans,10" noenhanced
set output dir."/chart.png"
set datafile missing "NaN"
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set format y "%g"
set grid ytics
set key top left
set xtics rotate by -30
set ylabel "seconds (log scale)"
set multiplot layout 1,2 title "ckpt vs CRIU 3.17 dump, in QEMU TCG software emulation (no KVM): median, whiskers min-max"
set title "checkpoint wall time"
plot dir."/chart.dat" using 2:3:4:xtic(1) title "ckpt checkpoint" lc rgb "#1f77b4", \
     '' using 5:6:7 title "criu dump" lc rgb "#d62728", \
     '' using 8:9:10 title "memcpy, same memory" lc rgb "#7f7f7f"
set title "downtime (tasks frozen)"
plot dir."/chart.dat" using 11:12:13:xtic(1) title "ckpt: froze..thawed" lc rgb "#1f77b4", \
     '' using 14:15:16 title "criu: frozen time" lc rgb "#d62728"
unset multiplot
