package explorer

import "syscall"

// mapNoReserve asks for no swap to be set aside for the room reserved.
const mapNoReserve = syscall.MAP_NORESERVE
