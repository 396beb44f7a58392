"""Demo content: the standard board filled with believable posts, photos, documents and awards.

`seed` holds the `seed-demo` command and the posts; `content` the handwritten texts; `images`
the drawn photos and generated documents; `awards` the registry's sample commendations;
`removal` the mark on every row the demo made and `seed-demo --remove`, which takes them away.
"""
