"""The training contract the engine, the workers and the UI share: run requests, control flags, events, loss
history, alarms, the data protocol and batch order. Pure Python + numpy."""
