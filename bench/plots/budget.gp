# T4: tw.count requests the simulator answered over time (the slope is the
# request rate) against the budget, one line per run. Called by report.py with
# datadir, runs, throttled (429s per run, space-separated), budget, window, outfile.
set terminal pngcairo size 900,540 font "sans,10"
set output outfile
set title sprintf("tw.count against a budget of %d per %d s: requests over time", budget, window)
set xlabel "seconds since the run started"
set ylabel "requests answered so far"
set key top left
set grid
set samples 2000
allowed(t) = t < 0 ? 0 : budget * (floor(t / window) + 1)
plot [0:*] allowed(x) with lines lw 2 dt 2 lc rgb "gray40" title "budget (a window opens every ".window." s)", \
     for [i=1:runs] sprintf("%s/t4-run%d.dat", datadir, i) using 1:2 with steps lw 2 \
         title sprintf("run %d: %s × 429", i, word(throttled, i))
