// Functions shared by the C files of CLuaShim; not part of its public header.
#ifndef CLUASHIM_INTERNAL_H
#define CLUASHIM_INTERNAL_H

#include "CLuaShim.h"

/// Bytes of string work (scanning, comparing, copying) that cost one unit of the instruction
/// budget. A Lua VM instruction costs a few nanoseconds; so does scanning about this many bytes.
#define SHIM_BYTES_PER_UNIT 8

/// Bytes of garbage that cost one unit: the allocator charges every block it frees (and every
/// host object Lua collects), at about what building it cost. Output that stays alive is not
/// charged: the memory ceiling bounds it (building a 1 GiB ceiling's worth takes a fraction of a
/// second), so a script that fills memory meets the ceiling, and one that churns (`..` in a loop,
/// string.rep of throwaway strings) meets the budget.
#define SHIM_FREED_BYTES_PER_UNIT 16

/// Charges `units` of work done by a C loop (which runs no VM instructions, so the count hook
/// never sees it) to the instruction budget; raises the budget error, positioned at the Lua
/// caller of the running C function, once the budget is spent.
void shim_charge(lua_State *L, lua_Integer units);

/// Charges `bytes` of string work (rounded up to whole units).
void shim_charge_bytes(lua_State *L, size_t bytes);

/// Replaces string.find/match/gmatch/gsub with the budget-charging matcher (StringMatch.c).
void shim_open_match(lua_State *L);

/// Wraps the remaining library functions whose work grows with their input or output
/// (Charging.c).
void shim_open_charging(lua_State *L);

/// Records that L is the running thread (anchored in the registry, so the allocator, which reads
/// it to name the script line of a refusal, never reads a collected thread).
void shim_mark_running(lua_State *L);
/// The same for the thread at `idx` of L's stack (about to be resumed).
void shim_anchor_running(lua_State *L, int idx);

#endif
