"""Python that TypeScript runs through libpython's embedding API, bound with koffi."""


def hello(times):
    for i in range(times):
        message = f"hello {i}"  # @py-hello
        print(message, flush=True)
    return times
