# T1 at several numbers in flight: audience-batch beside wrk and Node at the
# same number, medians of the runs. Called by report.py with datafile, outfile.
set terminal pngcairo size 900,540 font "sans,10"
set output outfile
set datafile missing "?"
set title "nf.create against nginx (canned 201): T1 by requests in flight"
set xlabel "requests in flight (--concurrency)"
set ylabel "rows ok per second (wrk: requests per second)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [0:*]
set format y "%.0f"
set key top right
set grid ytics
plot datafile using 3:xtic(1) title "wrk (ceiling)", \
     datafile using 2 title "audience-batch", \
     datafile using 4 title "Node (undici)"
