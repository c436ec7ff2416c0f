// CLuaShim: the only C in Standby's Lua host.
//
// Why this exists: in Lua 5.4 `lua_pop`, `lua_tostring`, `lua_pcall`, `lua_newtable`, `lua_insert`,
// `lua_upvalueindex`, `LUA_REGISTRYINDEX`... are macros, which Swift cannot import, and raising a Lua
// error (a longjmp) must never unwind a Swift frame. So every place that may raise lives here, in C:
// the trampoline that reaches Swift functions, the message handler, the allocator and the count hook.
// See CLuaShim.c for the design.
#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <stddef.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/// What a Swift function returns to the trampoline when it failed with its message on top of the stack.
/// `CLUASHIM_ERROR` prefixes the caller's position ("script.lua:12: "); `CLUASHIM_ERROR_RAW` raises
/// the value on top as it is (used to re-raise an error that already carries a position).
#define CLUASHIM_ERROR (-1)
#define CLUASHIM_ERROR_RAW (-2)
/// The host refused to hold more memory (its message pushed, e.g. "memory ceiling of 64 MiB
/// exceeded: ..."): raised at the script's line, and the memory limit becomes sticky.
#define CLUASHIM_ERROR_MEMORY (-3)

/// The Swift dispatcher: runs function number `index` of the runtime `host`, returns a result count
/// or one of the CLUASHIM_ERROR codes. It must never raise.
typedef int (*CLuaShim_Dispatch)(lua_State *L, void *host, lua_Integer index);

/// Shared state between C and Swift, one per lua_State (reached through lua_getextraspace).
typedef struct CLuaShim_State {
    /* memory */
    size_t used;              // bytes currently allocated by this state
    size_t ceiling;           // 0 = unlimited
    size_t host_used;         // estimated bytes of host objects the scripts hold (inventories, ...)
    int in_host;              // > 0 while Swift code runs: the allocator never refuses then
    int memory_exceeded;      // set once the ceiling refused for good; sticky like budget_exceeded
    int refused;              // the ceiling refused a request and nothing was allocated since
    char ceiling_text[32];    // "64 MiB", for messages
    /* instructions */
    long long budget;         // 0 = unlimited
    long long count;          // instructions executed since the last CLuaShim_resetbudget
    int budget_exceeded;      // set once the budget is gone; the hook then raises on every tick
    int armed;                // the allocator set the hook to fire at the next instruction
    char where_src[LUA_IDSIZE]; // script position of the last limit error ("scripts/x.lua")
    int where_line;
    char *host_source;        // chunks whose name starts with "@" + this are host Lua (the stdlib)
    /* Swift side */
    CLuaShim_Dispatch dispatch;
    void *host;
    void (*release)(void *object); // releases a Swift object held by a userdata (in __gc)
    lua_State *main;
    lua_State *running;       // the thread running Lua code (kept alive by the registry)
    int anchored;             // the registry slot that keeps `running` alive exists
} CLuaShim_State;

/// The userdata box of a Swift object: the retained object and the bytes charged for it to the
/// host account (`host_used`); `__gc` releases both.
typedef struct CLuaShim_Box {
    void *object;
    size_t bytes;
} CLuaShim_Box;

/// Creates a state with the counting allocator, the panic handler and the shared state attached.
/// Returns NULL if memory is short.
lua_State *CLuaShim_newstate(size_t ceiling);
/// Closes the state and frees the shared state.
void CLuaShim_close(lua_State *L);
CLuaShim_State *CLuaShim_state(lua_State *L);

/// Opens base, string, table, math, utf8, coroutine and os into the (real) globals, protected,
/// with the library functions whose work grows with their input charging the budget.
int CLuaShim_openlibs(lua_State *L);
/// Sets the folder of the host's own Lua (the stdlib; errors look past its frames to name the
/// script's line) and how messages write the memory ceiling ("64 MiB").
void CLuaShim_configure(lua_State *L, const char *host_source, const char *ceiling_text);

/// Pushes a closure of the trampoline whose upvalue is the Swift function index.
void CLuaShim_pushfunction(lua_State *L, lua_Integer index);
/// Pushes the C `__gc` used by Swift-object userdata (calls `release` on the boxed pointer).
void CLuaShim_pushgc(lua_State *L);

/// lua_pcall with the traceback message handler, run outside host mode. The traceback of a
/// failure is stored in the registry: read it with CLuaShim_pushtraceback.
int CLuaShim_pcall(lua_State *L, int nargs, int nresults);
void CLuaShim_pushtraceback(lua_State *L);

/// Instruction budget: installs (or removes) the count hook on the main thread.
void CLuaShim_sethook(lua_State *L, int enable);
void CLuaShim_resetbudget(lua_State *L, long long budget);

/// A full garbage collection (releasing collected objects' host charges). Never raises: only the
/// host's C `__gc` runs, as scripts cannot set finalizers.
void CLuaShim_collect(lua_State *L);

/// Macro wrappers.
void CLuaShim_pop(lua_State *L, int n);
void CLuaShim_newtable(lua_State *L);
void CLuaShim_insert(lua_State *L, int idx);
void CLuaShim_remove(lua_State *L, int idx);
int CLuaShim_registryindex(void);
int CLuaShim_upvalueindex(int i);
int CLuaShim_isinteger(lua_State *L, int idx);

#endif
