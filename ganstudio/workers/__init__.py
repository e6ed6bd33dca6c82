"""The only layer that knows both Qt and threads: engine events → throttled Qt signals, QThreads, latest-wins runners."""
