package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// defaultMemory is the store limit when --max-memory is not given: half of
// the memory this process may use (the machine's, or its cgroup's when
// that is smaller), so that a search too large for the machine stops with
// a partial report instead of being killed. 0 when it cannot be told.
func defaultMemory() int64 { return usableMemory() / 2 }

// usableMemory is the memory this process may use: the machine's, or its
// cgroup's when that is smaller; 0 when it cannot be told.
func usableMemory() int64 {
	total := memTotal()
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return total
}

// memTotal reads the machine's memory from /proc/meminfo, or 0.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
