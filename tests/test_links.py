"""Rows' links built once per list give exactly what `url_for` gives for each row."""

import pytest
from flask import url_for

from bulletin.links import row_url


@pytest.mark.parametrize("slug", ["hoi-nghi-tong-ket-2026", "Hội nghị / 50%", "a b?c#d", ""])
def test_a_posts_link_with_its_slug_is_url_fors(app, slug):
    with app.test_request_context("/"):
        link = row_url("posts.detail", "post_id", "slug")
        for number in (1, 42, 918273645, 10**9):
            assert link(number, slug) == url_for("posts.detail", post_id=number, slug=slug)


def test_a_link_with_a_number_in_the_middle_is_url_fors(app):
    with app.test_request_context("/", base_url="http://bangtin.xa.local/board"):
        for endpoint, argument in (("posts.edit", "post_id"), ("posts.archive", "post_id"),
                                   ("awards.detail", "award_id")):
            link = row_url(endpoint, argument)
            for number in (1, 7, 123456):
                assert link(number) == url_for(endpoint, **{argument: number})
            assert link(7).startswith("/board/")
