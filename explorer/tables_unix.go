//go:build unix

package explorer

import "syscall"

// mapPages maps size bytes of zero pages that the system backs only when
// written; nil when it refuses.
func mapPages(size int) []byte {
	if size <= 0 {
		return nil
	}
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|mapNoReserve)
	if err != nil {
		return nil
	}
	return mem
}

func unmapPages(mem []byte) { _ = syscall.Munmap(mem) }
