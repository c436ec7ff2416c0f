// Charging: library functions whose work grows with their input or output pay for it from the
// instruction budget.
//
// The count hook only sees VM instructions; a library function is one instruction however long it
// runs. Three mechanisms cover the rest:
//   * the allocator charges every byte that becomes garbage, so whatever builds strings or tables
//     again and again — `..`, string.rep, format, gsub, upper, table.concat, values pushed by
//     Swift — pays for its output (what stays alive is bounded by the memory ceiling instead); the
//     hook, the next charge or the next Swift call raises;
//   * the pattern matcher charges its steps (StringMatch.c);
//   * the wrappers below charge work that neither sees: scanning input, touching elements,
//     pushing many values, sorting, collecting garbage, and output that would be too big to try.
// Each wrapper is a closure whose upvalue 1 is the original function; it checks what it needs the
// way the original does (so errors read the same), charges, then calls the original.
#include "internal.h"

#include <string.h>

static int call_original(lua_State *L, int nresults) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, nresults);
    return lua_gettop(L);
}

// Whether argument `i` is a table, the only kind whose length the wrappers take (other values
// with metamethods are left to the original, whose accesses then run counted Lua code).
static int plain_table(lua_State *L, int i) {
    if (lua_type(L, i) == LUA_TTABLE) return 1;
    if (lua_getmetatable(L, i)) { lua_pop(L, 1); return 0; }
    luaL_checktype(L, i, LUA_TTABLE); // raises the original's "table expected, got ..."
    return 0;
}

static lua_Integer saturating_mul(lua_Integer a, lua_Integer b) {
    if (a <= 0 || b <= 0) return 0;
    return a > LUA_MAXINTEGER / b ? LUA_MAXINTEGER : a * b;
}

// MARK: - string

// string.rep("", 1 << 62) loops 2^62 times copying nothing; otherwise each of the n copies costs
// about an instruction, plus a unit per 64 bytes copied. A result that cannot fit under the memory ceiling is not
// charged: the original allocates it whole before copying, so it fails at once with the memory
// error.
static int charged_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) { // the original would loop n times to build ""
        lua_pushliteral(L, "");
        return 1;
    }
    CLuaShim_State *S = CLuaShim_state(L);
    lua_Integer total = saturating_mul(n, (lua_Integer)(l + lsep));
    size_t in_use = S->used + S->host_used;
    size_t room = S->ceiling > in_use ? S->ceiling - in_use : 0;
    if (S->ceiling != 0 && (lua_Unsigned)total > room) shim_charge(L, 0); // raises only if already spent
    else shim_charge(L, n + total / 64); // a copy takes about an instruction; memcpy ~64 bytes
    return call_original(L, 1);
}

// Functions that scan their string arguments: charged by the bytes of every string argument.
static int charged_by_input(lua_State *L) {
    size_t total = 0;
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        if (lua_type(L, i) == LUA_TSTRING) total += lua_rawlen(L, i);
    }
    shim_charge_bytes(L, total);
    return call_original(L, LUA_MULTRET);
}

// Functions that push many values (string.byte, utf8.codepoint, string.unpack): charged by the
// values they return.
static int charged_by_results(lua_State *L) {
    int n = call_original(L, LUA_MULTRET);
    shim_charge(L, n);
    return n;
}

// Functions that take many values (string.char, utf8.char): charged by their arguments.
static int charged_by_arguments(lua_State *L) {
    shim_charge(L, lua_gettop(L));
    return call_original(L, LUA_MULTRET);
}

// utf8.offset(s, n, i) steps over |n| characters.
static int charged_offset(lua_State *L) {
    lua_Integer n = luaL_checkinteger(L, 2);
    shim_charge(L, n < 0 ? (n == LUA_MININTEGER ? LUA_MAXINTEGER : -n) : n);
    return call_original(L, LUA_MULTRET);
}

// MARK: - table

// table.insert(setmetatable({}, {__len = function() return 1 << 40 end}), 1, x) would shift
// 2^40 slots: the elements moved are paid first.
static int charged_insert(lua_State *L) {
    if (lua_gettop(L) != 2 && lua_gettop(L) != 3) return luaL_error(L, "wrong number of arguments to 'insert'");
    if (lua_gettop(L) == 3 && plain_table(L, 1)) {
        lua_Integer e = luaL_len(L, 1) + 1; // first empty slot
        lua_Integer pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        shim_charge(L, e - pos);
    }
    return call_original(L, LUA_MULTRET);
}

static int charged_remove(lua_State *L) {
    if (lua_gettop(L) >= 2 && !lua_isnil(L, 2) && plain_table(L, 1)) {
        lua_Integer size = luaL_len(L, 1);
        lua_Integer pos = luaL_checkinteger(L, 2);
        if (pos != size)
            luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
        if (pos < size) shim_charge(L, size - pos);
    }
    return call_original(L, LUA_MULTRET);
}

// table.move({}, 1, 1 << 40, 2) moves 2^40 nils.
static int charged_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1; // cannot overflow after the check above
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        plain_table(L, 1);
        if (!lua_isnoneornil(L, 5)) plain_table(L, 5);
        shim_charge(L, n);
    }
    return call_original(L, LUA_MULTRET);
}

// The elements [i, j] a function will visit (table.concat, table.unpack), j defaulting to #t.
static lua_Integer span(lua_State *L, int first_arg, int check_table) {
    if (check_table) luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer i = luaL_optinteger(L, first_arg, 1);
    lua_Integer j = lua_isnoneornil(L, first_arg + 1) ? luaL_len(L, 1) : luaL_checkinteger(L, first_arg + 1);
    if (i > j) return 0;
    if (i <= 0 && j > LUA_MAXINTEGER + i) return LUA_MAXINTEGER;
    return j - i + 1;
}

static int charged_concat(lua_State *L) {
    if (lua_type(L, 1) == LUA_TTABLE) shim_charge(L, span(L, 3, 0));
    return call_original(L, LUA_MULTRET);
}

static int charged_unpack(lua_State *L) {
    if (!lua_isnoneornil(L, 1)) shim_charge(L, span(L, 2, 0));
    return call_original(L, LUA_MULTRET);
}

// table.sort: about n log2 n comparisons (a Lua comparator's own instructions count as well).
static int charged_sort(lua_State *L) {
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, 1);
        lua_Integer log = 1;
        while (log < 62 && ((lua_Integer)1 << log) < n) log++;
        shim_charge(L, saturating_mul(n, log));
    }
    return call_original(L, LUA_MULTRET);
}

// MARK: - base

// collectgarbage("collect") traverses the whole heap; "step" a part of it.
static int charged_collectgarbage(lua_State *L) {
    const char *option = luaL_optstring(L, 1, "collect");
    if (strcmp(option, "collect") == 0 || strcmp(option, "step") == 0) {
        // Traversing is cheaper per byte than copying: a heap byte costs an eighth of a copied one.
        shim_charge_bytes(L, CLuaShim_state(L)->used / 8);
    }
    return call_original(L, LUA_MULTRET);
}

// Replaces lib[name] (lib NULL: the global `name`) with a closure of `wrapper` whose upvalue is
// the original.
static void wrap(lua_State *L, const char *lib, const char *name, lua_CFunction wrapper) {
    if (lib == NULL) {
        lua_getglobal(L, name);
        lua_pushcclosure(L, wrapper, 1);
        lua_setglobal(L, name);
        return;
    }
    lua_getglobal(L, lib);
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

void shim_open_charging(lua_State *L) {
    wrap(L, LUA_STRLIBNAME, "rep", charged_rep);
    wrap(L, LUA_STRLIBNAME, "byte", charged_by_results);
    wrap(L, LUA_STRLIBNAME, "unpack", charged_by_results);
    wrap(L, LUA_STRLIBNAME, "char", charged_by_arguments);
    wrap(L, LUA_UTF8LIBNAME, "char", charged_by_arguments);
    wrap(L, LUA_UTF8LIBNAME, "codepoint", charged_by_results);
    wrap(L, LUA_UTF8LIBNAME, "len", charged_by_input);
    wrap(L, LUA_UTF8LIBNAME, "offset", charged_offset);
    wrap(L, LUA_TABLIBNAME, "insert", charged_insert);
    wrap(L, LUA_TABLIBNAME, "remove", charged_remove);
    wrap(L, LUA_TABLIBNAME, "move", charged_move);
    wrap(L, LUA_TABLIBNAME, "concat", charged_concat);
    wrap(L, LUA_TABLIBNAME, "unpack", charged_unpack);
    wrap(L, LUA_TABLIBNAME, "sort", charged_sort);
    wrap(L, NULL, "tonumber", charged_by_input);
    wrap(L, NULL, "load", charged_by_input);
    wrap(L, NULL, "print", charged_by_input);
    wrap(L, NULL, "collectgarbage", charged_collectgarbage);
}
