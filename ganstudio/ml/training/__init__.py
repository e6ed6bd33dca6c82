"""Training: the Trainer loop, its configuration table, losses, the update helper, checkpoints, run folders and the
run builder shared by the CLI and the Train page."""
