// CLuaShim: the trampoline, message handler, allocator and count hook of Standby's Lua host.
//
// DESIGN: Lua raises errors with longjmp; a longjmp across a Swift frame skips releases and defers.
// So the rule is: Swift never raises and never calls anything that may raise. Everything that raises
// lives in this file, and it raises only once the Swift frame has returned.
//
// * Functions. Every Swift function exposed to Lua is a closure of ONE C function, `trampoline`,
//   whose upvalue is an integer: the index of the Swift closure in the runtime's table. The
//   trampoline calls the Swift dispatcher (registered once in CLuaShim_State, a @convention(c)
//   function without captures). Swift returns n >= 0 results, or CLUASHIM_ERROR with a message
//   pushed; the trampoline then prefixes the caller's position (luaL_where(L, 1)) and calls
//   lua_error, after Swift has returned.
//
// * Memory. The allocator counts bytes against a ceiling and normally refuses (returns NULL, which
//   Lua turns into a LUA_ERRMEM) when an allocation would cross it. But a refused allocation inside a
//   push would longjmp out of the Swift function that pushed. So while Swift runs (`in_host` > 0, set
//   by the trampoline around the dispatch and by Swift around its own stack work) the allocator never
//   refuses: if the system malloc itself fails in that mode we print a message and abort(), we never
//   longjmp. When the Swift function returns, the trampoline checks the usage; if it is over the
//   ceiling it collects garbage and, if still over, raises the memory error from C (by making one
//   allocation the allocator refuses, so the error is a genuine LUA_ERRMEM).
//
// * Instructions. A count hook (every HOOK_INTERVAL instructions, installed only while a script
//   runs) adds to a counter and raises "instruction budget of N exceeded" once the counter passes the
//   budget. It sets `budget_exceeded`, so Swift can tell this error apart even if a script caught and
//   re-raised it, and from then on fires on every instruction and raises each time, so a pcall loop
//   cannot keep going. The hook also records the current source:line, which the memory error uses
//   ("memory ceiling of 64 MiB exceeded near scripts/x.lua:12").
//
// * Calls into Lua. CLuaShim_pcall runs lua_pcall with a message handler like lua.c's (tostring via
//   __tostring for non-string errors, luaL_traceback), storing the traceback in the registry.
#include "CLuaShim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_INTERVAL 1000

static char traceback_key; // registry key (its address) of the last traceback

CLuaShim_State *CLuaShim_state(lua_State *L) {
    return *(CLuaShim_State **)lua_getextraspace(L);
}

// MARK: - Allocator

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    CLuaShim_State *S = (CLuaShim_State *)ud;
    size_t old = ptr ? osize : 0; // when ptr is NULL, osize is a type tag, not a size
    if (nsize == 0) {
        free(ptr);
        S->used -= old;
        return NULL;
    }
    if (nsize > old && S->ceiling != 0 && S->in_host == 0 && S->used - old + nsize > S->ceiling) {
        return NULL; // Lua collects garbage, retries, then raises LUA_ERRMEM
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) {
        if (nsize <= old) return ptr; // a failed shrink keeps the old block, which Lua relies on
        if (S->in_host > 0) {
            fprintf(stderr, "standby: out of memory (%zu bytes) while the Lua host was running; aborting\n", nsize);
            abort();
        }
        return NULL;
    }
    S->used = S->used - old + nsize;
    return p;
}

static int panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "standby: unprotected Lua error (a bug in the host): %s\n", msg ? msg : "?");
    abort();
    return 0;
}

lua_State *CLuaShim_newstate(size_t ceiling) {
    CLuaShim_State *S = (CLuaShim_State *)calloc(1, sizeof(CLuaShim_State));
    if (S == NULL) return NULL;
    S->ceiling = ceiling;
    lua_State *L = lua_newstate(counting_alloc, S);
    if (L == NULL) {
        free(S);
        return NULL;
    }
    *(CLuaShim_State **)lua_getextraspace(L) = S;
    S->main = L;
    lua_atpanic(L, panic);
    return L;
}

void CLuaShim_close(lua_State *L) {
    CLuaShim_State *S = CLuaShim_state(L);
    S->in_host++; // finalizers may run Swift; never refuse while closing
    lua_close(L);
    free(S);
}

// MARK: - Libraries

// Library functions whose C loops can run (nearly) forever without executing a VM instruction or
// allocating, so neither the count hook nor the memory ceiling would stop them:
//   string.rep("", 1 << 62)                         loops 2^62 times copying nothing
//   table.move({}, 1, 1 << 40, 2)                   moves 2^40 nils
//   table.insert(setmetatable({}, {__len = function() return 1 << 40 end}), 1, x)   (and remove)
// Each wrapper checks the arguments the way the original does (so errors read the same), charges
// the elements the loop will touch to the instruction budget, then calls the original (upvalue 1).

static void charge(lua_State *L, lua_Integer units); // see Instruction budget

static int call_original(lua_State *L, int nresults) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, nresults);
    return lua_gettop(L);
}

static int safe_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) { // the original would loop n times to build ""
        lua_pushliteral(L, "");
        return 1;
    }
    return call_original(L, 1); // the result is at least n bytes: the memory ceiling bounds it
}

// Whether argument `i` is a plain table, the only kind whose length the wrappers take (values
// with metamethods are left to the original, whose accesses then run counted Lua code).
static int plain_table(lua_State *L, int i) {
    if (lua_type(L, i) == LUA_TTABLE) return 1;
    if (lua_getmetatable(L, i)) { lua_pop(L, 1); return 0; }
    luaL_checktype(L, i, LUA_TTABLE); // raises the original's "table expected, got ..."
    return 0;
}

static int safe_insert(lua_State *L) {
    if (lua_gettop(L) != 2 && lua_gettop(L) != 3) return luaL_error(L, "wrong number of arguments to 'insert'");
    if (lua_gettop(L) == 3 && plain_table(L, 1)) {
        lua_Integer e = luaL_len(L, 1) + 1; // first empty slot
        lua_Integer pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        charge(L, e - pos);
    }
    return call_original(L, LUA_MULTRET);
}

static int safe_remove(lua_State *L) {
    if (lua_gettop(L) >= 2 && !lua_isnil(L, 2) && plain_table(L, 1)) {
        lua_Integer size = luaL_len(L, 1);
        lua_Integer pos = luaL_checkinteger(L, 2);
        if (pos != size)
            luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
        if (pos < size) charge(L, size - pos);
    }
    return call_original(L, LUA_MULTRET);
}

static int safe_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1; // cannot overflow after the check above
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        plain_table(L, 1);
        if (!lua_isnoneornil(L, 5)) plain_table(L, 5);
        charge(L, n);
    }
    return call_original(L, LUA_MULTRET);
}

// Replaces lib[name] with a closure of `wrapper` whose upvalue is the original.
static void wrap(lua_State *L, const char *lib, const char *name, lua_CFunction wrapper) {
    lua_getglobal(L, lib);
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

static int openlibs(lua_State *L) {
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},         {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table},   {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},   {LUA_COLIBNAME, luaopen_coroutine},
        {LUA_OSLIBNAME, luaopen_os},       {NULL, NULL},
    };
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    wrap(L, LUA_STRLIBNAME, "rep", safe_rep);
    wrap(L, LUA_TABLIBNAME, "insert", safe_insert);
    wrap(L, LUA_TABLIBNAME, "remove", safe_remove);
    wrap(L, LUA_TABLIBNAME, "move", safe_move);
    return 0;
}

int CLuaShim_openlibs(lua_State *L) {
    if (!lua_checkstack(L, 2)) return LUA_ERRMEM;
    lua_pushcfunction(L, openlibs);
    return CLuaShim_pcall(L, 0, 0);
}

// MARK: - Trampoline

// Over the ceiling after a Swift function: collect, and if that is not enough raise LUA_ERRMEM.
static void enforce_ceiling(lua_State *L, CLuaShim_State *S) {
    lua_gc(L, LUA_GCCOLLECT, 0);
    if (S->used <= S->ceiling) return;
    lua_settop(L, 0);
    lua_newuserdatauv(L, 1, 0); // refused by the allocator: raises LUA_ERRMEM
    lua_pushliteral(L, "not enough memory");
    lua_error(L);
}

static int trampoline(lua_State *L) {
    CLuaShim_State *S = CLuaShim_state(L);
    lua_Integer index = lua_tointeger(L, lua_upvalueindex(1));
    S->in_host++;
    int n = S->dispatch(L, S->host, index);
    S->in_host--;
    if (n == CLUASHIM_ERROR) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (n < 0) return lua_error(L); // CLUASHIM_ERROR_RAW
    if (S->ceiling != 0 && S->used > S->ceiling) enforce_ceiling(L, S);
    return n;
}

void CLuaShim_pushfunction(lua_State *L, lua_Integer index) {
    lua_pushinteger(L, index);
    lua_pushcclosure(L, trampoline, 1);
}

static int gc_object(lua_State *L) {
    void **box = (void **)lua_touserdata(L, 1);
    if (box != NULL && *box != NULL) {
        void *object = *box;
        *box = NULL;
        CLuaShim_state(L)->release(object);
    }
    return 0;
}

void CLuaShim_pushgc(lua_State *L) { lua_pushcfunction(L, gc_object); }

// MARK: - Protected calls

static int msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
            msg = lua_tostring(L, -1);
        } else {
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
    }
    luaL_traceback(L, L, NULL, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &traceback_key);
    return 1; // the message, on top
}

int CLuaShim_pcall(lua_State *L, int nargs, int nresults) {
    CLuaShim_State *S = CLuaShim_state(L);
    int base = lua_gettop(L) - nargs; // the function
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &traceback_key);
    lua_pushcfunction(L, msghandler); // the caller keeps a free slot
    lua_insert(L, base);
    int saved = S->in_host;
    S->in_host = 0;
    int status = lua_pcall(L, nargs, nresults, base);
    S->in_host = saved;
    lua_remove(L, base);
    return status;
}

void CLuaShim_pushtraceback(lua_State *L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &traceback_key); }

// MARK: - Instruction budget

static void budget_error(lua_State *L, int level);

static void count_hook(lua_State *L, lua_Debug *ar) {
    CLuaShim_State *S = CLuaShim_state(L);
    S->count += S->budget_exceeded ? 1 : HOOK_INTERVAL;
    if (lua_getinfo(L, "Sl", ar)) {
        memcpy(S->where_src, ar->short_src, sizeof S->where_src);
        S->where_line = ar->currentline;
    }
    // A coroutine left on the every-instruction hook by an earlier, exhausted run goes back to
    // the normal interval.
    if (!S->budget_exceeded && lua_gethookcount(L) != HOOK_INTERVAL) {
        lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_INTERVAL);
    }
    if (S->budget > 0 && S->count > S->budget) budget_error(L, 0); // in a hook, level 0 is the running Lua function
}

// Marks the budget as spent (from now on every instruction raises) and raises its error, naming
// the position of stack level `level`.
static void budget_error(lua_State *L, int level) {
    CLuaShim_State *S = CLuaShim_state(L);
    if (!S->budget_exceeded) {
        S->budget_exceeded = 1;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
        if (S->main != L) lua_sethook(S->main, count_hook, LUA_MASKCOUNT, 1);
    }
    luaL_where(L, level);
    lua_pushfstring(L, "instruction budget of %I exceeded", (lua_Integer)S->budget);
    lua_concat(L, 2);
    lua_error(L);
}

// Charges `units` of work done by a C loop (which runs no VM instructions, so the hook never sees
// it) to the budget; raises at the Lua caller of the running C function once it is spent.
static void charge(lua_State *L, lua_Integer units) {
    CLuaShim_State *S = CLuaShim_state(L);
    if (S->budget <= 0 || units <= 0) return;
    if (S->budget_exceeded || units > S->budget - S->count) budget_error(L, 1);
    S->count += units;
}

void CLuaShim_sethook(lua_State *L, int enable) {
    CLuaShim_State *S = CLuaShim_state(L);
    if (enable) lua_sethook(S->main, count_hook, LUA_MASKCOUNT, HOOK_INTERVAL);
    else lua_sethook(S->main, NULL, 0, 0);
}

void CLuaShim_resetbudget(lua_State *L, long long budget) {
    CLuaShim_State *S = CLuaShim_state(L);
    S->budget = budget;
    S->count = 0;
    S->budget_exceeded = 0;
    S->where_src[0] = '\0';
    S->where_line = 0;
}

// MARK: - Macro wrappers

void CLuaShim_pop(lua_State *L, int n) { lua_pop(L, n); }
void CLuaShim_newtable(lua_State *L) { lua_newtable(L); }
void CLuaShim_insert(lua_State *L, int idx) { lua_insert(L, idx); }
void CLuaShim_remove(lua_State *L, int idx) { lua_remove(L, idx); }
int CLuaShim_registryindex(void) { return LUA_REGISTRYINDEX; }
int CLuaShim_upvalueindex(int i) { return lua_upvalueindex(i); }
int CLuaShim_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
