"""Qt widgets and pages. Never imports ganstudio.ml or TensorFlow; heavy work goes through ganstudio.workers."""
