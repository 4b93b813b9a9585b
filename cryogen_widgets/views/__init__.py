"""Result views: run toolbar, tables and bqplot figures, field slices, the 3-D view, the gallery."""
