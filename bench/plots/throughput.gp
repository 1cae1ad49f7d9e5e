# Throughput against concurrency: rows/s of each runner and wrk's req/s, one
# job against nginx's canned 201. Called by report.py with datafile, outfile.
set terminal pngcairo size 900,540 font "sans,10"
set output outfile
set datafile missing "?"
set title "nf.create against nginx (canned 201): throughput against concurrency"
set xlabel "requests in flight (--concurrency)"
set ylabel "rows ok per second (wrk: requests per second)"
set logscale x 2
set format y "%.0f"
set key top left
set grid
plot datafile using 1:3 with linespoints lw 2 dt 2 title "wrk (ceiling)", \
     datafile using 1:2 with linespoints lw 3 title "audience-batch", \
     datafile using 1:4 with linespoints lw 2 title "Node (undici)", \
     datafile using 1:5 with linespoints lw 2 title "Python (aiohttp)"
