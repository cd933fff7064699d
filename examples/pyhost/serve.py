"""A long-running Python service that calls C: start it on its own, then attach to it by process
id (request "attach"). Each round summarizes a few numbers through the C library."""
import os
import sys
import time

import main


def handle(request):
    numbers = [float(request % 7), 2.0]
    return main.summarize(numbers)  # @serve-handle


def serve():
    print(f"serving as process {os.getpid()}", flush=True)
    request = 0
    while True:
        request += 1
        handle(request)
        if request % 20 == 0:
            print(f"served {request}", flush=True)
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(serve())
