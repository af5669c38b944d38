// The Kernels module; see ../../../shared/DESIGN.md §2 for its place in the architecture.
