// StringMatch: string.find, string.match, string.gmatch and string.gsub with a pattern matcher
// that charges its steps to the instruction budget.
//
// Why: Lua's own matcher is a backtracking C loop. `("a"):rep(3000):find(".-.-.-b")` takes
// billions of steps and runs no VM instruction, so the count hook never fires and the budget never
// stops it. This matcher implements the same pattern language with the same results and error
// messages, and counts every step (one test of one character against one pattern item, one
// position tried, one byte compared); each batch of steps is charged to the budget, which raises
// "instruction budget of N exceeded" at the script's line once it is spent.
//
// The pattern language, the structure of the matcher (a recursive match over pattern items with
// greedy, lazy and optional repetition, captures, back-references, %b and %f) and the behaviour of
// the four functions follow Lua 5.4's lstrlib.c:
//
//   Copyright (C) 1994-2022 Lua.org, PUC-Rio.
//
//   Permission is hereby granted, free of charge, to any person obtaining a copy of this software
//   and associated documentation files (the "Software"), to deal in the Software without
//   restriction, including without limitation the rights to use, copy, modify, merge, publish,
//   distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
//   Software is furnished to do so, subject to the following conditions:
//
//   The above copyright notice and this permission notice shall be included in all copies or
//   substantial portions of the Software.
//
//   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
//   BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
//   NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
//   DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
//   OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
#include "internal.h"

#include <ctype.h>
#include <string.h>

#define ESC '%'
#define MAX_DEPTH 200            // recursion depth of the matcher ("pattern too complex")
#define LUA_MAXCAPTURES 32       // as in Lua's string library
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)
#define STEP_BATCH 4096          // steps between two charges
#define STEPS_PER_UNIT 1         // matcher steps that cost one budget unit (a step takes about
                                 // as long as a VM instruction)

typedef struct Matcher {
    const char *src_init, *src_end; // the subject
    const char *p_end;              // end of the pattern
    lua_State *L;
    int level;                      // captures opened so far
    int depth;                      // recursion budget left
    lua_Integer steps;              // steps not yet charged
    struct { const char *init; ptrdiff_t len; } capture[LUA_MAXCAPTURES];
} Matcher;

static void step(Matcher *m, lua_Integer n) {
    m->steps += n;
    if (m->steps >= STEP_BATCH) {
        lua_Integer units = m->steps / STEPS_PER_UNIT;
        m->steps -= units * STEPS_PER_UNIT;
        shim_charge(m->L, units);
    }
}

// Charges what is left at the end of a call (so many small matches add up too).
static void settle(Matcher *m) {
    lua_Integer units = (m->steps + STEPS_PER_UNIT - 1) / STEPS_PER_UNIT;
    m->steps = 0;
    shim_charge(m->L, units);
}

static void matcher_init(Matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    m->L = L;
    m->src_init = s;
    m->src_end = s + ls;
    m->p_end = p + lp;
    m->steps = 0;
}

static void matcher_reset(Matcher *m) {
    m->level = 0;
    m->depth = MAX_DEPTH;
}

// MARK: - Pattern items

// Whether `c` is in class `cl` (the letter after '%'); an upper-case class is the complement, any
// other character stands for itself.
static int in_class(int c, int cl) {
    int yes;
    switch (tolower(cl)) {
        case 'a': yes = isalpha(c); break;
        case 'c': yes = iscntrl(c); break;
        case 'd': yes = isdigit(c); break;
        case 'g': yes = isgraph(c); break;
        case 'l': yes = islower(c); break;
        case 'p': yes = ispunct(c); break;
        case 's': yes = isspace(c); break;
        case 'u': yes = isupper(c); break;
        case 'w': yes = isalnum(c); break;
        case 'x': yes = isxdigit(c); break;
        default: return cl == c;
    }
    if (isupper(cl)) yes = !yes;
    return yes != 0;
}

// Whether `c` is in the set `[...]` that starts at `p` ('[') and whose ']' is at `last`.
static int in_set(int c, const char *p, const char *last) {
    int wanted = 1;
    if (p[1] == '^') {
        wanted = 0;
        p++;
    }
    while (++p < last) {
        if (*p == ESC) {
            p++;
            if (in_class(c, (unsigned char)*p)) return wanted;
        } else if (p[1] == '-' && p + 2 < last) {
            p += 2;
            if ((unsigned char)p[-2] <= c && c <= (unsigned char)*p) return wanted;
        } else if ((unsigned char)*p == c) {
            return wanted;
        }
    }
    return !wanted;
}

// The end of the single-character item starting at `p`.
static const char *item_end(Matcher *m, const char *p) {
    switch (*p++) {
        case ESC:
            if (p >= m->p_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
            return p + 1;
        case '[':
            if (*p == '^') p++;
            do { // the first character is part of the set even if it is ']'
                if (p >= m->p_end) luaL_error(m->L, "malformed pattern (missing ']')");
                if (*(p++) == ESC && p < m->p_end) p++; // an escaped character, e.g. '%]'
            } while (*p != ']');
            return p + 1;
        default:
            return p;
    }
}

// Whether the character at `s` matches the single-character item [p, ep).
static int item_matches(Matcher *m, const char *s, const char *p, const char *ep) {
    if (s >= m->src_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
        case '.': return 1;
        case ESC: return in_class(c, (unsigned char)p[1]);
        case '[': return in_set(c, p, ep - 1);
        default: return (unsigned char)*p == c;
    }
}

// MARK: - Matching

static const char *match(Matcher *m, const char *s, const char *p);

static const char *balanced(Matcher *m, const char *s, const char *p) {
    if (p >= m->p_end - 1) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->src_end || *s != *p) return NULL;
    int open = *p, close = p[1], depth = 1;
    const char *start = s;
    while (++s < m->src_end) {
        if (*s == close) {
            if (--depth == 0) {
                step(m, s - start);
                return s + 1;
            }
        } else if (*s == open) {
            depth++;
        }
    }
    step(m, s - start);
    return NULL;
}

static const char *greedy(Matcher *m, const char *s, const char *p, const char *ep) {
    ptrdiff_t count = 0;
    while (item_matches(m, s + count, p, ep)) count++;
    step(m, count);
    for (; count >= 0; count--) { // back off one character at a time
        step(m, 1);
        const char *end = match(m, s + count, ep + 1);
        if (end) return end;
    }
    return NULL;
}

static const char *lazy(Matcher *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        step(m, 1);
        const char *end = match(m, s, ep + 1);
        if (end) return end;
        if (!item_matches(m, s, p, ep)) return NULL;
        s++;
    }
}

static const char *open_capture(Matcher *m, const char *s, const char *p, ptrdiff_t what) {
    if (m->level >= LUA_MAXCAPTURES) luaL_error(m->L, "too many captures");
    m->capture[m->level].init = s;
    m->capture[m->level].len = what;
    m->level++;
    const char *end = match(m, s, p);
    if (end == NULL) m->level--; // undo
    return end;
}

static const char *close_capture(Matcher *m, const char *s, const char *p) {
    int open = -1;
    for (int i = m->level - 1; i >= 0; i--) {
        if (m->capture[i].len == CAP_UNFINISHED) {
            open = i;
            break;
        }
    }
    if (open < 0) luaL_error(m->L, "invalid pattern capture");
    m->capture[open].len = s - m->capture[open].init;
    const char *end = match(m, s, p);
    if (end == NULL) m->capture[open].len = CAP_UNFINISHED; // undo
    return end;
}

static int capture_index(Matcher *m, int digit) {
    int i = digit - '1';
    if (i < 0 || i >= m->level || m->capture[i].len == CAP_UNFINISHED)
        return luaL_error(m->L, "invalid capture index %%%d", i + 1);
    return i;
}

static const char *back_reference(Matcher *m, const char *s, int digit) {
    int i = capture_index(m, digit);
    ptrdiff_t len = m->capture[i].len;
    if (len < 0 || m->src_end - s < len) return NULL; // a position capture never matches text
    step(m, len);
    return memcmp(m->capture[i].init, s, (size_t)len) == 0 ? s + len : NULL;
}

// Matches pattern `p` at `s`; returns the end of the match or NULL.
static const char *match(Matcher *m, const char *s, const char *p) {
    if (m->depth-- == 0) luaL_error(m->L, "pattern too complex");
    for (;;) {
        step(m, 1);
        if (p == m->p_end) break; // end of pattern: matched
        if (*p == '(') {
            s = p[1] == ')' ? open_capture(m, s, p + 2, CAP_POSITION) : open_capture(m, s, p + 1, CAP_UNFINISHED);
            break;
        }
        if (*p == ')') {
            s = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->p_end) {
            if (s != m->src_end) s = NULL;
            break;
        }
        if (*p == ESC && p[1] == 'b') {
            s = balanced(m, s, p + 2);
            if (s == NULL) break;
            p += 4;
            continue;
        }
        if (*p == ESC && p[1] == 'f') {
            p += 2;
            if (*p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
            const char *ep = item_end(m, p);
            int before = s == m->src_init ? '\0' : (unsigned char)s[-1];
            int here = s < m->src_end ? (unsigned char)*s : '\0';
            if (!in_set(before, p, ep - 1) && in_set(here, p, ep - 1)) {
                p = ep;
                continue;
            }
            s = NULL;
            break;
        }
        if (*p == ESC && isdigit((unsigned char)p[1])) {
            s = back_reference(m, s, (unsigned char)p[1]);
            if (s == NULL) break;
            p += 2;
            continue;
        }
        // A single-character item, maybe followed by a repetition.
        const char *ep = item_end(m, p);
        if (!item_matches(m, s, p, ep)) {
            if (*ep == '*' || *ep == '?' || *ep == '-') { // zero repetitions are fine
                p = ep + 1;
                continue;
            }
            s = NULL;
            break;
        }
        if (*ep == '?') {
            const char *end = match(m, s + 1, ep + 1);
            if (end) {
                s = end;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (*ep == '+') { s = greedy(m, s + 1, p, ep); break; }
        if (*ep == '*') { s = greedy(m, s, p, ep); break; }
        if (*ep == '-') { s = lazy(m, s, p, ep); break; }
        s++;
        p = ep;
    }
    m->depth++;
    return s;
}

// MARK: - Captures

// Capture `i` (the whole match [s, e) when there are no captures and i == 0): pushes a position
// and returns CAP_POSITION, or sets *text and returns its length.
static ptrdiff_t capture_value(Matcher *m, int i, const char *s, const char *e, const char **text) {
    if (i >= m->level) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        *text = s;
        return e - s;
    }
    ptrdiff_t len = m->capture[i].len;
    *text = m->capture[i].init;
    if (len == CAP_UNFINISHED) luaL_error(m->L, "unfinished capture");
    if (len == CAP_POSITION) lua_pushinteger(m->L, (m->capture[i].init - m->src_init) + 1);
    return len;
}

static void push_capture(Matcher *m, int i, const char *s, const char *e) {
    const char *text;
    ptrdiff_t len = capture_value(m, i, s, e, &text);
    if (len != CAP_POSITION) lua_pushlstring(m->L, text, (size_t)len);
}

// Pushes the captures (or the whole match when `s` is given and there are none).
static int push_captures(Matcher *m, const char *s, const char *e) {
    int n = (m->level == 0 && s) ? 1 : m->level;
    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++) push_capture(m, i, s, e);
    return n;
}

// MARK: - The library functions

static size_t start_position(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        if (strchr("^$*+?.([%-", p[i]) && p[i] != '\0') return 1;
    }
    return 0;
}

// Plain search for [p, p + lp) in [s, s + ls), charged by bytes scanned and compared.
static const char *plain_find(lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    const char *end = s + ls - lp + 1; // candidates start before this
    const char *at = s;
    size_t work = 0; // bytes scanned or compared, not yet charged
    while (at < end) {
        const char *hit = memchr(at, p[0], (size_t)(end - at));
        work += (size_t)((hit ? hit + 1 : end) - at);
        if (hit == NULL) break;
        work += lp;
        if (memcmp(hit + 1, p + 1, lp - 1) == 0) {
            shim_charge_bytes(L, work);
            return hit;
        }
        at = hit + 1;
        if (work >= (size_t)STEP_BATCH * SHIM_BYTES_PER_UNIT) {
            shim_charge_bytes(L, work);
            work = 0;
        }
    }
    shim_charge_bytes(L, work);
    return NULL;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *hit = plain_find(L, s + init, ls - init, p, lp);
        if (hit) {
            lua_pushinteger(L, (hit - s) + 1);
            lua_pushinteger(L, (lua_Integer)((hit - s) + lp));
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    int anchored = *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    Matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    const char *from = s + init;
    do {
        matcher_reset(&m);
        const char *e = match(&m, from, p);
        if (e != NULL) {
            settle(&m);
            if (find) {
                lua_pushinteger(L, (from - s) + 1);
                lua_pushinteger(L, e - s);
                return push_captures(&m, NULL, NULL) + 2;
            }
            return push_captures(&m, from, e);
        }
    } while (from++ < m.src_end && !anchored);
    settle(&m);
    luaL_pushfail(L);
    return 1;
}

static int str_find(lua_State *L) { return find_or_match(L, 1); }
static int str_match(lua_State *L) { return find_or_match(L, 0); }

typedef struct GmatchState {
    const char *next;      // where the next search starts
    const char *pattern;
    const char *last;      // end of the last match (an empty match there is skipped)
    Matcher m;
} GmatchState;

static int gmatch_next(lua_State *L) {
    GmatchState *g = (GmatchState *)lua_touserdata(L, lua_upvalueindex(3));
    g->m.L = L;
    for (const char *from = g->next; from <= g->m.src_end; from++) {
        matcher_reset(&g->m);
        const char *e = match(&g->m, from, g->pattern);
        if (e != NULL && e != g->last) {
            g->next = g->last = e;
            settle(&g->m);
            return push_captures(&g->m, from, e);
        }
    }
    settle(&g->m);
    return 0;
}

static int str_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    lua_settop(L, 2); // the closure keeps both strings alive
    GmatchState *g = (GmatchState *)lua_newuserdatauv(L, sizeof(GmatchState), 0);
    if (init > ls) init = ls + 1; // starts after the end: no match
    matcher_init(&g->m, L, s, ls, p, lp);
    g->next = s + init;
    g->pattern = p;
    g->last = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

// Appends the replacement string (argument 3) for the match [s, e), expanding %0-%9 and %%.
static void add_replacement_string(Matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    lua_State *L = m->L;
    size_t l;
    const char *text = lua_tolstring(L, 3, &l);
    const char *p;
    while ((p = (const char *)memchr(text, ESC, l)) != NULL) {
        luaL_addlstring(b, text, (size_t)(p - text));
        p++; // after the '%'
        if (*p == ESC) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)*p)) {
            const char *capture;
            ptrdiff_t len = capture_value(m, *p - '1', s, e, &capture);
            if (len == CAP_POSITION) luaL_addvalue(b);
            else luaL_addlstring(b, capture, (size_t)len);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", ESC);
        }
        l -= (size_t)(p + 1 - text);
        text = p + 1;
    }
    luaL_addlstring(b, text, l);
}

// Appends the replacement of the match [s, e); returns whether the text changed.
static int add_replacement(Matcher *m, luaL_Buffer *b, const char *s, const char *e, int type) {
    lua_State *L = m->L;
    if (type == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (type == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement_string(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) { // nil or false: keep the original text
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int str_gsub(lua_State *L) {
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *last = NULL;
    int type = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    int anchored = *p == '^';
    lua_Integer n = 0;
    int changed = 0;
    luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE,
                     3, "string/function/table");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (anchored) {
        p++;
        lp--;
    }
    Matcher m;
    matcher_init(&m, L, src, ls, p, lp);
    while (n < max) {
        matcher_reset(&m);
        const char *e = match(&m, src, p);
        if (e != NULL && e != last) {
            n++;
            changed = add_replacement(&m, &b, src, e, type) | changed;
            src = last = e;
        } else if (src < m.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchored) break;
    }
    settle(&m);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(m.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

void shim_open_match(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"find", str_find}, {"match", str_match}, {"gmatch", str_gmatch}, {"gsub", str_gsub}, {NULL, NULL},
    };
    lua_getglobal(L, LUA_STRLIBNAME);
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 1);
}
