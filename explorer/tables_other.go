//go:build !unix

package explorer

func mapPages(int) []byte { return nil }

func unmapPages([]byte) {}
