module github.com/interleave-dev/interleave

go 1.26.0

require github.com/alecthomas/participle/v2 v2.1.4

require (
	github.com/dominikbraun/graph v0.23.0
	github.com/spf13/pflag v1.1.0
	github.com/zeebo/xxh3 v1.1.0
	golang.org/x/term v0.47.0
)

require github.com/klauspost/cpuid/v2 v2.2.10 // indirect

require (
	github.com/rogpeppe/go-internal v1.16.0
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/tools v0.26.0 // indirect
)
