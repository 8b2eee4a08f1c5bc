#!/usr/bin/python3
"""python3-jieba's jieba.lcut (accurate mode, HMM on) over FILE repeated REPEAT
times, line by line: the reference speed for bench/segment.sh.
usage: /usr/bin/python3 bench/jieba_speed.py FILE REPEAT"""
import sys
import time

import jieba

jieba.setLogLevel(60)
jieba.initialize()
text = open(sys.argv[1], encoding="utf-8").read()
repeat = int(sys.argv[2])
lines = text.split("\n")
t0 = time.perf_counter()
n = 0
for _ in range(repeat):
    for line in lines:
        n += len(jieba.lcut(line))
dt = time.perf_counter() - t0
mb = len(text.encode()) * repeat / 1e6
print("%-28s %8.2f MB/s  %9d tokens" % ("python3-jieba lcut", mb / dt, n))
