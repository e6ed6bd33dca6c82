"""Preview grids: untile() gives back exactly the images tile() laid out, for any count, pad and column choice."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.grid import tile, untile


@pytest.mark.parametrize("n, pad, columns, channels", [(36, 2, None, 1), (7, 2, None, 3), (5, 0, 2, 1), (1, 3, None, 3),
                                                       (10, 1, 4, 1)])
def test_untile_inverts_tile(n, pad, columns, channels):
    images = np.random.default_rng(n).integers(0, 256, (n, 6, 5, channels), dtype=np.uint8)
    grid = tile(images, pad=pad, pad_value=255, columns=columns)
    np.testing.assert_array_equal(untile(grid, n, pad=pad, columns=columns), images)


def test_untile_refuses_a_grid_of_another_layout():
    grid = tile(np.zeros((36, 8, 8, 1), np.uint8))
    with pytest.raises(ValueError, match="no tiling of 35 images"):
        untile(grid[:-1], 35)


@pytest.mark.parametrize("n, shape", [(8, (2, 4)), (10, (2, 5)), (9, (3, 3)), (16, (4, 4)), (36, (6, 6)), (5, (2, 3))])
def test_a_grid_leaves_as_few_cells_empty_as_a_near_square_layout_allows(n, shape):
    from ganstudio.core.grid import grid_shape

    assert grid_shape(n) == shape
