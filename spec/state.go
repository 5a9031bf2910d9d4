package spec

// The state is a byte vector with a fixed layout (layout.go places each
// part). This file is the one place that knows what each byte means: the
// rest of the package reads and writes a state through these accessors.
//
// An actor: its status byte (a status in the low bits, CancelBit when a
// cancel is pending), its program counter (1 or 2 bytes), a crash count
// when it can crash, then its locals.
//
// An object, at its offset:
//
//	lock       owner (actor ID + 1, 0 when free); reentrant: the hold count
//	semaphore  the value
//	event      1 when set
//	condition  the wait set: one bit per actor
//	queue,     the number of items, flags (closed, shut down), then the
//	chan       items, front first, in the element type's width
//	waitgroup  the counter, flags (a wait has returned)

// Byte layout of object states.
const (
	qCount       = 0 // queue, chan: number of items
	qFlags       = 1 // queue, chan: flags below
	qItems       = 2 // queue, chan: the items, front first
	FlagClosed   = 1
	FlagShutdown = 2 // queue shut down (Python 3.13)
	wgCounter    = 0
	wgFlags      = 1
	FlagWaited   = 1 // waitgroup: some wait() has returned
	rlOwner      = 0 // lock: owner (actor ID + 1), 0 when free
	rlCount      = 1 // reentrant lock: how many times the owner holds it
)

// Status returns the actor's status in s (Dormant, Running, ...).
func (a *Actor) Status(s []byte) byte { return s[a.Off] &^ CancelBit }

// Running reports whether the actor has started and not ended in s.
func (a *Actor) Running(s []byte) bool { return a.Status(s) == Running }

// SetStatus gives the actor a status; a pending cancel is dropped.
func (a *Actor) SetStatus(s []byte, status byte) { s[a.Off] = status }

// CancelPending reports whether a cancel of the actor is pending in s.
func (a *Actor) CancelPending(s []byte) bool { return s[a.Off]&CancelBit != 0 }

// SetCancel marks a cancel of the actor as pending, or consumes it.
func (a *Actor) SetCancel(s []byte, pending bool) {
	if pending {
		s[a.Off] |= CancelBit
	} else {
		s[a.Off] &^= CancelBit
	}
}

// PC returns the actor's program counter in state s.
func (a *Actor) PC(s []byte) int {
	if a.Type.PCWidth == 1 {
		return int(s[a.Off+1])
	}
	return int(s[a.Off+1]) | int(s[a.Off+2])<<8
}

// SetPC stores the actor's program counter in state s.
func (a *Actor) SetPC(s []byte, pc int) {
	s[a.Off+1] = byte(pc)
	if a.Type.PCWidth == 2 {
		s[a.Off+2] = byte(pc >> 8)
	}
}

// crashOff is the offset of the actor's crash count.
func (a *Actor) crashOff() int { return a.Off + 1 + a.Type.PCWidth }

// CanCrash reports whether the actor may still crash in s.
func (a *Actor) CanCrash(s []byte) bool {
	return a.Type.HasCrash && int(s[a.crashOff()]) < a.Type.Crashes
}

// CountCrash counts one more crash of the actor.
func (a *Actor) CountCrash(s []byte) { s[a.crashOff()]++ }

// LocalBytes returns the actor's locals in s.
func (a *Actor) LocalBytes(s []byte) []byte { return s[a.Locals : a.Locals+a.Type.LocalSize] }

// Slot returns the byte local at offset off (caught errors, pending
// finally actions).
func (a *Actor) Slot(s []byte, off int) int { return int(s[a.Locals+off]) }

func (a *Actor) SetSlot(s []byte, off, v int) { s[a.Locals+off] = byte(v) }

// Bytes returns the object's part of s.
func (o *Object) Bytes(s []byte) []byte { return s[o.Off : o.Off+o.Size] }

// OwnedBy reports whether actor a holds the lock in s.
func (o *Object) OwnedBy(s []byte, a *Actor) bool { return int(s[o.Off+rlOwner]) == a.ID+1 }

// OwnerID returns the lock's owner as stored: actor ID + 1, 0 when free.
func (o *Object) OwnerID(s []byte) byte { return s[o.Off+rlOwner] }

func (o *Object) SetOwnerID(s []byte, id byte) { s[o.Off+rlOwner] = id }

// Holds returns how many times the owner holds a reentrant lock.
func (o *Object) Holds(s []byte) int { return int(s[o.Off+rlCount]) }

func (o *Object) SetHolds(s []byte, n int) { s[o.Off+rlCount] = byte(n) }

// Value returns a semaphore's value, or 1 for a set event.
func (o *Object) Value(s []byte) int { return int(s[o.Off]) }

func (o *Object) SetValue(s []byte, v int) { s[o.Off] = byte(v) }

// Waiting reports whether actor a is in the condition's wait set.
func (o *Object) Waiting(s []byte, a *Actor) bool { return s[o.Off+a.ID/8]&(1<<(a.ID%8)) != 0 }

// SetWaiting puts actor a into the condition's wait set, or takes it out.
func (o *Object) SetWaiting(s []byte, a *Actor, in bool) {
	if in {
		s[o.Off+a.ID/8] |= 1 << (a.ID % 8)
	} else {
		s[o.Off+a.ID/8] &^= 1 << (a.ID % 8)
	}
}

// Len returns the number of items in a queue or channel.
func (o *Object) Len(s []byte) int { return int(s[o.Off+qCount]) }

// Closed reports whether a queue or channel is closed.
func (o *Object) Closed(s []byte) bool { return s[o.Off+qFlags]&FlagClosed != 0 }

// SetFlag sets a flag of a queue, channel or wait group.
func (o *Object) SetFlag(s []byte, flag byte) { s[o.Off+qFlags] |= flag }

// Flags returns the Flags of a queue, channel or wait group.
func (o *Object) Flags(s []byte) byte { return s[o.Off+qFlags] }

// ClearWaiters empties a condition's wait set (notify_all).
func (o *Object) ClearWaiters(s []byte) { clear(o.Bytes(s)) }

// Flag reports whether a Flag of a queue, channel or wait group is set.
func (o *Object) Flag(s []byte, flag byte) bool { return s[o.Off+qFlags]&flag != 0 }

// Counter returns a wait group's counter.
func (o *Object) Counter(s []byte) int { return int(s[o.Off+wgCounter]) }

func (o *Object) SetCounter(s []byte, n int) { s[o.Off+wgCounter] = byte(n) }

// Queue and channel items.
func (o *Object) Item(s []byte, i int) int {
	w := o.Elem.Width()
	return Load(s, o.Off+qItems+i*w, o.Elem, w)
}

func (o *Object) Push(s []byte, v int) {
	w := o.Elem.Width()
	n := int(s[o.Off+qCount])
	store(s, o.Off+qItems+n*w, o.Elem, w, v)
	s[o.Off+qCount]++
}

func (o *Object) Pop(s []byte) int {
	w := o.Elem.Width()
	v := o.Item(s, 0)
	n := int(s[o.Off+qCount])
	items := s[o.Off+qItems : o.Off+qItems+n*w]
	copy(items, items[w:])
	clear(items[(n-1)*w:])
	s[o.Off+qCount]--
	return v
}

// ClearItems drops every item of a queue (shutdown(immediate)).
func (o *Object) ClearItems(s []byte) {
	clear(s[o.Off+qItems : o.Off+o.Size])
	s[o.Off+qCount] = 0
}

// A global variable, at its offset: its value, or an array's elements one
// after the other, each in its type's width.

// Bytes returns the bytes of variable v in s.
func (v *Var) Bytes(s []byte) []byte { return s[v.Off : v.Off+v.Type.Width()] }

// Value returns the value of scalar variable v in s.
func (v *Var) Value(s []byte) int { return Load(s, v.Off, v.Type, v.Type.Width()) }

// Elem returns element i of array variable v in s.
func (v *Var) Elem(s []byte, i int) int {
	w := v.Type.Elem.Width()
	return Load(s, v.Off+i*w, v.Type.Elem, w)
}
