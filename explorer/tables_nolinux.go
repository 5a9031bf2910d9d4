//go:build unix && !linux

package explorer

const mapNoReserve = 0
