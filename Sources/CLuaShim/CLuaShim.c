// CLuaShim: the trampoline, message handler, allocator and count hook of Standby's Lua host.
//
// DESIGN: Lua raises errors with longjmp; a longjmp across a Swift frame skips releases and defers.
// So the rule is: Swift never raises and never calls anything that may raise. Everything that raises
// lives in this target's C, and it raises only once the Swift frame has returned.
//
// * Functions. Every Swift function exposed to Lua is a closure of ONE C function, `trampoline`,
//   whose upvalue is an integer: the index of the Swift closure in the runtime's table. The
//   trampoline calls the Swift dispatcher (registered once in CLuaShim_State, a @convention(c)
//   function without captures). Swift returns n >= 0 results, or an error code with a message
//   pushed; the trampoline then prefixes the caller's position and calls lua_error, after Swift has
//   returned. String arguments are charged to the instruction budget by their bytes (the host
//   reads them: JSON text, paths).
//
// * Memory. The allocator counts bytes against a ceiling and refuses (returns NULL, which Lua turns
//   into a LUA_ERRMEM) an allocation that would cross it. The ceiling covers the host's account too
//   (`host_used`: estimated bytes of Swift objects a script holds — inventories, selections,
//   translations, plans). A refused allocation inside a push would longjmp out of the Swift function
//   that pushed, so while Swift runs (`in_host` > 0) the allocator never refuses: if the system
//   malloc itself fails in that mode we print a message and abort(), we never longjmp. When the
//   Swift function returns, the trampoline checks the usage; if it is over the ceiling it collects
//   garbage and, if still over, raises the memory error from C. A refusal records the script line
//   (the innermost frame that is not the sandbox's or the stdlib's own Lua) for the message.
//
// * Instructions. A count hook (every HOOK_INTERVAL instructions, installed only while a script
//   runs) adds to a counter and raises "instruction budget of N exceeded" once the counter passes the
//   budget. Work done in C is charged to the same counter: the allocator charges the bytes that
//   become garbage (see internal.h), the pattern matcher its steps (StringMatch.c), library
//   wrappers the elements they touch (Charging.c).
//
// * Sticky limits. Once the budget is spent or the ceiling refused an allocation for good, the flag
//   (`budget_exceeded`, `memory_exceeded`) stays set until the next top-level entry: the hook then
//   fires on every instruction and raises again, and so does every call of a Swift function, so a
//   script that catches the error with pcall cannot carry on. Swift reads the flags to tell these
//   errors apart, whatever the script did to the message.
//
// * Calls into Lua. CLuaShim_pcall runs lua_pcall with a message handler like lua.c's (tostring via
//   __tostring for non-string errors, luaL_traceback), storing the traceback in the registry.
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#define HOOK_INTERVAL 1000

static char traceback_key; // registry key (its address) of the last traceback
static char running_key;   // registry key of the thread `running` points to (keeps it alive)

CLuaShim_State *CLuaShim_state(lua_State *L) {
    return *(CLuaShim_State **)lua_getextraspace(L);
}

// MARK: - Script positions

// Whether a chunk is the host's own Lua (the sandbox bootstrap, the stdlib), which error messages
// look past to name the script's line.
static int host_chunk(CLuaShim_State *S, const char *source) {
    if (source == NULL) return 0;
    if (strcmp(source, "=[standby sandbox]") == 0) return 1;
    return S->host_source != NULL && source[0] == '@' && strncmp(source + 1, S->host_source, strlen(S->host_source)) == 0;
}

// Records in where_src/where_line the innermost Lua frame of `L` at `level` or above that is not
// host Lua (or, if there is none, the innermost Lua frame). Does not allocate, so the allocator
// may call it.
static void record_position(CLuaShim_State *S, lua_State *L, int level) {
    lua_Debug ar;
    int fallback = 0;
    S->where_src[0] = '\0';
    S->where_line = 0;
    if (L == NULL) return;
    while (lua_getstack(L, level++, &ar)) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
        int host = host_chunk(S, ar.source);
        if (host && fallback) continue;
        memcpy(S->where_src, ar.short_src, sizeof S->where_src);
        S->where_line = ar.currentline;
        if (!host) return;
        fallback = 1;
    }
}

// Pushes "src:line: " for the recorded position ("" when there is none).
static void push_recorded_where(lua_State *L, CLuaShim_State *S) {
    if (S->where_line > 0) lua_pushfstring(L, "%s:%d: ", S->where_src, S->where_line);
    else lua_pushliteral(L, "");
}

// Makes the thread at `idx` of L's stack (a thread) the running one: `running` points to it and
// the registry keeps it alive, so the allocator never reads a collected thread.
void shim_anchor_running(lua_State *L, int idx) {
    CLuaShim_State *S = CLuaShim_state(L);
    lua_State *thread = lua_tothread(L, idx);
    if (thread == NULL || S->running == thread) return;
    if (thread != S->main) {
        if (!S->anchored) return;
        lua_pushvalue(L, idx);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &running_key); // the key exists: this does not allocate
    }
    S->running = thread;
}

void shim_mark_running(lua_State *L) {
    CLuaShim_State *S = CLuaShim_state(L);
    if (S->running == L) return;
    if (L == S->main) {
        S->running = L;
        return;
    }
    lua_pushthread(L);
    shim_anchor_running(L, -1);
    lua_pop(L, 1);
}

// MARK: - Allocator

static void count_hook(lua_State *L, lua_Debug *ar);

// Charges freed bytes to the budget. The allocator cannot raise, and a few instructions may
// free gigabytes (a loop of forty `..` of 256 MiB runs 200 instructions, so the hook would not
// come round again): once the budget is spent, the hook is set to fire at the next instruction.
// (lua_sethook is safe anywhere, signal handlers included.)
static void charge_garbage(CLuaShim_State *S, size_t bytes) {
    S->count += (long long)(bytes / SHIM_FREED_BYTES_PER_UNIT);
    if (S->budget > 0 && S->count > S->budget && !S->armed && S->running != NULL) {
        S->armed = 1;
        lua_sethook(S->running, count_hook, LUA_MASKCOUNT, 1);
        if (S->running != S->main) lua_sethook(S->main, count_hook, LUA_MASKCOUNT, 1);
    }
}

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    CLuaShim_State *S = (CLuaShim_State *)ud;
    size_t old = ptr ? osize : 0; // when ptr is NULL, osize is a type tag, not a size
    if (nsize == 0) {
        free(ptr);
        S->used -= old;
        charge_garbage(S, old);
        return NULL;
    }
    if (nsize > old && S->ceiling != 0 && S->in_host == 0 && S->used + S->host_used - old + nsize > S->ceiling) {
        // Lua may collect garbage and ask again. Until an allocation succeeds the refusal stands
        // (`refused`): an error caught while it stands is a memory error (see watch_refusal).
        if (!S->refused) {
            S->refused = 1;
            record_position(S, S->running, 0);
        }
        return NULL;
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
    if (nsize > old) S->refused = 0;
    else charge_garbage(S, old - nsize);
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
    S->running = L;
    lua_atpanic(L, panic);
    return L;
}

void CLuaShim_close(lua_State *L) {
    CLuaShim_State *S = CLuaShim_state(L);
    S->in_host++; // finalizers may run Swift; never refuse while closing
    lua_close(L);
    free(S->host_source);
    free(S);
}

// MARK: - Libraries

static int memory_error(lua_State *L);
static int watch_refusal(lua_State *L, int status, lua_KContext ctx);

// coroutine.resume, marking the coroutine as the running thread while it runs (so a memory
// refusal inside it names its line).
static int resume_marking(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTHREAD);
    shim_anchor_running(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    shim_mark_running(L);
    return watch_refusal(L, LUA_OK, 0);
}

// pcall, xpcall and coroutine.resume return false when the call failed. If it failed because
// the ceiling refused an allocation (the refusal still stands: nothing was allocated since), the
// memory error goes on: the limit is sticky, so a script cannot catch it and carry on.
static int watch_refusal(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    CLuaShim_State *S = CLuaShim_state(L);
    if (S->refused && S->ceiling != 0 && lua_gettop(L) >= 1 && lua_isboolean(L, 1) && !lua_toboolean(L, 1)) {
        return memory_error(L);
    }
    if (S->memory_exceeded) return memory_error(L);
    return lua_gettop(L);
}

static int pcall_watching(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, watch_refusal); // pcall'd code may yield
    return watch_refusal(L, LUA_OK, 0);
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
    // Argument errors raised by a function called from C (an original called by its wrapper, any
    // function called through pcall) name it by searching the loaded modules: "string.rep" is
    // LOADED["string"].rep, and a module named "_G.x" reads as "x". So the originals stay findable,
    // as "_G.string" (read "string") and "_G" (the base functions, read by their own names).
    static const char *const wrapped[] = {LUA_GNAME, LUA_STRLIBNAME, LUA_TABLIBNAME, LUA_UTF8LIBNAME, LUA_COLIBNAME, NULL};
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    for (const char *const *name = wrapped; *name; name++) {
        lua_newtable(L);
        lua_getfield(L, -2, *name);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -5);
        }
        lua_pop(L, 1);
        if (strcmp(*name, LUA_GNAME) == 0) lua_setfield(L, -2, *name);
        else {
            const char *key = lua_pushfstring(L, "%s.%s", LUA_GNAME, *name);
            lua_insert(L, -2);
            lua_setfield(L, -3, key);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    shim_open_match(L);
    shim_open_charging(L);
    lua_getglobal(L, "pcall");
    lua_pushcclosure(L, pcall_watching, 1);
    lua_setglobal(L, "pcall");
    lua_getglobal(L, "xpcall");
    lua_pushcclosure(L, pcall_watching, 1);
    lua_setglobal(L, "xpcall");
    lua_getglobal(L, LUA_COLIBNAME);
    lua_getfield(L, -1, "resume");
    lua_pushcclosure(L, resume_marking, 1);
    lua_setfield(L, -2, "resume");
    lua_pop(L, 1);
    lua_pushthread(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &running_key);
    CLuaShim_state(L)->anchored = 1;
    return 0;
}

int CLuaShim_openlibs(lua_State *L) {
    if (!lua_checkstack(L, 2)) return LUA_ERRMEM;
    lua_pushcfunction(L, openlibs);
    return CLuaShim_pcall(L, 0, 0);
}

void CLuaShim_configure(lua_State *L, const char *host_source, const char *ceiling_text) {
    CLuaShim_State *S = CLuaShim_state(L);
    free(S->host_source);
    S->host_source = host_source ? strdup(host_source) : NULL;
    snprintf(S->ceiling_text, sizeof S->ceiling_text, "%s", ceiling_text ? ceiling_text : "");
}

// MARK: - Limits

// From now on every instruction of every thread that runs reaches the hook.
static void hook_every_instruction(lua_State *L);

// Raises the memory error at the recorded script position (the flag is sticky).
static int memory_error(lua_State *L) {
    if (!lua_checkstack(L, 4)) lua_settop(L, 0);
    CLuaShim_State *S = CLuaShim_state(L);
    S->memory_exceeded = 1;
    hook_every_instruction(L);
    lua_settop(L, 0);
    push_recorded_where(L, S);
    lua_pushfstring(L, "memory ceiling of %s exceeded", S->ceiling_text);
    lua_concat(L, 2);
    return lua_error(L);
}

// Marks the budget as spent (from now on every instruction raises) and raises its error, naming
// the script position at stack level `level` or above.
static int budget_error(lua_State *L, int level) {
    CLuaShim_State *S = CLuaShim_state(L);
    S->budget_exceeded = 1;
    hook_every_instruction(L);
    record_position(S, L, level);
    push_recorded_where(L, S);
    lua_pushfstring(L, "instruction budget of %I exceeded", (lua_Integer)S->budget);
    lua_concat(L, 2);
    return lua_error(L);
}

void shim_charge(lua_State *L, lua_Integer units) {
    CLuaShim_State *S = CLuaShim_state(L);
    if (S->budget <= 0) return;
    if (units > 0) S->count = units > LLONG_MAX - S->count ? LLONG_MAX : S->count + units;
    if (S->budget_exceeded || S->count > S->budget) budget_error(L, 1);
}

void shim_charge_bytes(lua_State *L, size_t bytes) {
    shim_charge(L, (lua_Integer)((bytes / SHIM_BYTES_PER_UNIT) + (bytes % SHIM_BYTES_PER_UNIT != 0)));
}

// MARK: - Trampoline

// Over the ceiling after a Swift function: collect, and if that is not enough raise the memory
// error at the caller's line.
static void enforce_ceiling(lua_State *L, CLuaShim_State *S) {
    lua_gc(L, LUA_GCCOLLECT, 0);
    if (S->used + S->host_used <= S->ceiling) return;
    record_position(S, L, 1);
    memory_error(L);
}

static int trampoline(lua_State *L) {
    CLuaShim_State *S = CLuaShim_state(L);
    lua_Integer index = lua_tointeger(L, lua_upvalueindex(1));
    shim_mark_running(L);
    if (S->memory_exceeded) return memory_error(L);
    size_t bytes = 0;
    for (int i = lua_gettop(L); i >= 1; i--) {
        if (lua_type(L, i) == LUA_TSTRING) bytes += lua_rawlen(L, i);
    }
    shim_charge_bytes(L, bytes); // also raises if the budget is already spent
    S->in_host++;
    int n = S->dispatch(L, S->host, index);
    S->in_host--;
    shim_mark_running(L); // Swift may have called Lua on other threads
    if (n == CLUASHIM_ERROR) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (n == CLUASHIM_ERROR_MEMORY) { // the host refused to hold more: "x.lua:3: memory ceiling ... (why)"
        record_position(S, L, 1);
        S->memory_exceeded = 1;
        hook_every_instruction(L);
        push_recorded_where(L, S);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (n < 0) return lua_error(L); // CLUASHIM_ERROR_RAW
    if (S->ceiling != 0 && S->used + S->host_used > S->ceiling) enforce_ceiling(L, S);
    if (S->budget > 0 && S->count > S->budget) budget_error(L, 1);
    return n;
}

void CLuaShim_pushfunction(lua_State *L, lua_Integer index) {
    lua_pushinteger(L, index);
    lua_pushcclosure(L, trampoline, 1);
}

// The box of a Swift object: the retained object and the bytes charged to the host account.
static int gc_object(lua_State *L) {
    CLuaShim_Box *box = (CLuaShim_Box *)lua_touserdata(L, 1);
    if (box != NULL && box->object != NULL) {
        CLuaShim_State *S = CLuaShim_state(L);
        void *object = box->object;
        box->object = NULL;
        S->host_used -= box->bytes < S->host_used ? box->bytes : S->host_used;
        charge_garbage(S, box->bytes); // like any garbage: see internal.h
        box->bytes = 0;
        S->release(object);
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
    if (S->anchored) shim_mark_running(L);
    int status = lua_pcall(L, nargs, nresults, base);
    if (status != LUA_OK && S->refused && S->ceiling != 0) S->memory_exceeded = 1; // see watch_refusal
    S->in_host = saved;
    lua_remove(L, base);
    return status;
}

void CLuaShim_pushtraceback(lua_State *L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &traceback_key); }

// MARK: - Instruction budget

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    CLuaShim_State *S = CLuaShim_state(L);
    shim_mark_running(L);
    if (S->memory_exceeded) memory_error(L); // named at the line where the ceiling was hit
    S->count += S->budget_exceeded ? 1 : HOOK_INTERVAL;
    // A coroutine left on the every-instruction hook by an earlier, exhausted run goes back to
    // the normal interval.
    if (!S->budget_exceeded && lua_gethookcount(L) != HOOK_INTERVAL) {
        lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_INTERVAL);
    }
    if (S->budget > 0 && S->count > S->budget) budget_error(L, 0); // in a hook, level 0 is the running Lua function
}

static void hook_every_instruction(lua_State *L) {
    CLuaShim_State *S = CLuaShim_state(L);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    if (S->main != L) lua_sethook(S->main, count_hook, LUA_MASKCOUNT, 1);
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
    S->memory_exceeded = 0;
    S->refused = 0;
    S->armed = 0;
    S->where_src[0] = '\0';
    S->where_line = 0;
}

// MARK: - Macro wrappers

void CLuaShim_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }

void CLuaShim_pop(lua_State *L, int n) { lua_pop(L, n); }
void CLuaShim_newtable(lua_State *L) { lua_newtable(L); }
void CLuaShim_insert(lua_State *L, int idx) { lua_insert(L, idx); }
void CLuaShim_remove(lua_State *L, int idx) { lua_remove(L, idx); }
int CLuaShim_registryindex(void) { return LUA_REGISTRYINDEX; }
int CLuaShim_upvalueindex(int i) { return lua_upvalueindex(i); }
int CLuaShim_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
