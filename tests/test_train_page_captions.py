"""Train page with GAN-CLS: only captioned data sets are listed (the built-in flowers ship their captions), its
KL and GAN-INT weights are fields of the run, and a plain image folder leaves the list."""

from __future__ import annotations

from caption_fixtures import write_caption_folder
from test_train_page_paired import choose, make_page  # noqa: F401 - make_page is a fixture


def test_gan_cls_lists_captioned_data_sets_only(make_page, tmp_path):
    captioned = write_caption_folder(tmp_path / "captioned", per_class=2)
    plain = tmp_path / "plain" / "rose"
    plain.mkdir(parents=True)
    for image in (captioned / "rose").glob("*.png"):
        (plain / image.name).write_bytes(image.read_bytes())
    page = make_page(captioned)
    form, view = page.form, page.form.dataset_box.view()
    form.dataset_box.add_folder(str(plain.parent), select=False)
    choose(page, "gan-cls")
    assert form.dataset().name.startswith("Flowers")  # the built-in photos have captions beside them
    mnist = next(i for i in range(form.dataset_box.count() - 1) if "MNIST" in form.dataset_box.itemText(i))
    assert view.isRowHidden(mnist) and view.isRowHidden(form.dataset_box.findData(str(plain.parent)))
    choose(page, "gan-cls", captioned)
    assert form.dataset() == str(captioned)
    assert form.is_shown("kl_weight") and form.is_shown("int_weight")
    choose(page, "dcgan")  # an image recipe trains on any of them
    assert not view.isRowHidden(mnist) and not view.isRowHidden(form.dataset_box.findData(str(plain.parent)))
