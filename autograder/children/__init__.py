"""The entry points that run inside children forked from the forkserver: ``run`` (untrusted: the
student's function, then ``handback`` of what it returned), ``measure`` (trusted: no student code) and
``preload`` (what the forkserver imports once)."""
