from tools.doc_blocks import read_block, write_block


def test_a_block_is_replaced_and_the_rest_of_the_page_kept(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n<!-- t:begin -->\nold figures\n<!-- t:end -->\n\nprose after\n", encoding="utf-8")
    assert write_block(page, "t", "| a | b |\n")
    assert read_block(page, "t") == "| a | b |"
    assert page.read_text(encoding="utf-8") == "# Title\n\n<!-- t:begin -->\n| a | b |\n<!-- t:end -->\n\nprose after\n"


def test_a_page_without_the_block_is_left_alone(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("no markers here\n", encoding="utf-8")
    assert not write_block(page, "t", "x")
    assert read_block(page, "t") is None
    assert page.read_text(encoding="utf-8") == "no markers here\n"
