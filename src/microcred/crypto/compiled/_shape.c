/* The shape reader of `shape.py` (`_read`), in C: the same tokens, values and kinds, faster.
 *
 * `read(document, no_shape)` returns `(tokens, values, kinds)`, a tuple and two lists, exactly
 * as `shape._read` builds them, or raises `no_shape` (the `NoShape` class) with the same message.
 * Every rule here mirrors one in `shape.py`; tests/crypto/test_shape_reader.py compares the two
 * readers on generated documents, so a change to one must be made to the other.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#define MAX_DEPTH 64

/* Structure tokens and slot kinds, as in shape.py. */
enum { T_OBJECT = 0, T_LIST = 1, T_END = 2, T_TRUE = 3, T_FALSE = 4, T_NULL = 5,
       T_KEPT = 6, T_KEPT_NUMBER = 7 };
enum { K_TEXT = 10, K_INTEGER = 11, K_INTEGRAL_FLOAT = 12, K_FRACTIONAL_FLOAT = 13 };
/* How a value's scalars are read (child_mode). */
enum { M_SLOTS = 0, M_KEEP_SCALARS = 1, M_KEEP_ALL = 2 };

static PyObject *small[14];  /* the token and kind ints, made once */
static PyObject *big_number; /* 10**21 */
static PyObject *minus_big_number;

static const char *slot_keywords[] = {"@id", "@value", "@graph", "@list", "@set",
                                      "@included", "@reverse", "@nest", NULL};

typedef struct {
    PyObject *tokens;
    PyObject *values;
    PyObject *kinds;
    PyObject *no_shape;
} Reader;

static int starts_with_blank_prefix(PyObject *text) {
    return PyUnicode_GET_LENGTH(text) >= 2 && PyUnicode_READ_CHAR(text, 0) == '_' &&
           PyUnicode_READ_CHAR(text, 1) == ':';
}

static int equals(PyObject *text, const char *ascii) {
    return PyUnicode_CompareWithASCIIString(text, ascii) == 0;
}

static int child_mode(PyObject *key, int mode) {
    int at = PyUnicode_GET_LENGTH(key) >= 1 && PyUnicode_READ_CHAR(key, 0) == '@';
    if (mode == M_SLOTS && !at && !equals(key, "type")) return M_SLOTS;
    if (mode == M_KEEP_ALL || equals(key, "@context")) return M_KEEP_ALL;
    if (equals(key, "type") || equals(key, "@type")) return M_KEEP_SCALARS;
    if (at) {
        for (const char **keyword = slot_keywords; *keyword; keyword++) {
            if (equals(key, *keyword)) return M_SLOTS;
        }
        return M_KEEP_SCALARS;
    }
    return M_SLOTS;
}

static int append(PyObject *list, PyObject *item) { return PyList_Append(list, item); }

static int add_slot(Reader *reader, PyObject *value, int kind) {
    if (append(reader->tokens, small[kind]) < 0) return -1;
    if (append(reader->values, value) < 0) return -1;
    return append(reader->kinds, small[kind]);
}

/* The slot kind of an int, or -1 when its value must be part of the shape (-2 on error). */
static int integer_kind(PyObject *value) {
    int overflow = 0;
    PyLong_AsLongLongAndOverflow(value, &overflow);
    if (PyErr_Occurred()) return -2;
    if (!overflow) return K_INTEGER; /* |value| < 2**63 < 10**21 */
    int above = PyObject_RichCompareBool(value, minus_big_number, Py_GT);
    if (above < 0) return -2;
    int below = PyObject_RichCompareBool(value, big_number, Py_LT);
    if (below < 0) return -2;
    return above && below ? K_INTEGER : -1;
}

static int float_kind(PyObject *value) {
    double number = PyFloat_AS_DOUBLE(value);
    if (!isfinite(number)) return -1;
    if (floor(number) == number) {
        return number > -1e21 && number < 1e21 ? K_INTEGRAL_FLOAT : -1;
    }
    return K_FRACTIONAL_FLOAT;
}

static int no_shape(Reader *reader, const char *message) {
    PyErr_SetString(reader->no_shape, message);
    return -1;
}

static int read_value(Reader *reader, PyObject *value, int mode, int depth);

static int read_item(Reader *reader, PyObject *item, int mode, int depth) {
    if (PyUnicode_CheckExact(item) && mode == M_SLOTS && !starts_with_blank_prefix(item)) {
        return add_slot(reader, item, K_TEXT);
    }
    return read_value(reader, item, mode, depth + 1);
}

static int read_value(Reader *reader, PyObject *value, int mode, int depth) {
    if (PyDict_CheckExact(value)) {
        if (depth >= MAX_DEPTH) return no_shape(reader, "nested deeper than 64 levels");
        if (append(reader->tokens, small[T_OBJECT]) < 0) return -1;
        Py_ssize_t position = 0;
        PyObject *key, *item;
        while (PyDict_Next(value, &position, &key, &item)) {
            if (!PyUnicode_CheckExact(key)) return no_shape(reader, "an object key is not a string");
            if (append(reader->tokens, key) < 0) return -1;
            Py_INCREF(item); /* the dict could change under us if a comparison ran Python code */
            int failed = read_item(reader, item, child_mode(key, mode), depth);
            Py_DECREF(item);
            if (failed < 0) return -1;
        }
        return append(reader->tokens, small[T_END]);
    }
    if (PyList_CheckExact(value)) {
        if (depth >= MAX_DEPTH) return no_shape(reader, "nested deeper than 64 levels");
        if (append(reader->tokens, small[T_LIST]) < 0) return -1;
        for (Py_ssize_t index = 0; index < PyList_GET_SIZE(value); index++) {
            PyObject *item = PyList_GET_ITEM(value, index);
            Py_INCREF(item);
            int failed = read_item(reader, item, mode, depth);
            Py_DECREF(item);
            if (failed < 0) return -1;
        }
        return append(reader->tokens, small[T_END]);
    }
    if (PyUnicode_CheckExact(value)) {
        if (mode != M_SLOTS || starts_with_blank_prefix(value)) {
            if (append(reader->tokens, small[T_KEPT]) < 0) return -1;
            return append(reader->tokens, value);
        }
        return add_slot(reader, value, K_TEXT);
    }
    if (PyBool_Check(value)) return append(reader->tokens, small[value == Py_True ? T_TRUE : T_FALSE]);
    if (value == Py_None) return append(reader->tokens, small[T_NULL]);
    if (PyLong_CheckExact(value) || PyFloat_CheckExact(value)) {
        int kind = -1;
        if (mode == M_SLOTS) {
            kind = PyLong_CheckExact(value) ? integer_kind(value) : float_kind(value);
            if (kind == -2) return -1;
        }
        if (kind >= 0) return add_slot(reader, value, kind);
        PyObject *kept = PyUnicode_FromFormat("%s:%R", Py_TYPE(value)->tp_name, value);
        if (kept == NULL) return -1;
        int failed = append(reader->tokens, small[T_KEPT_NUMBER]) < 0 || append(reader->tokens, kept) < 0;
        Py_DECREF(kept);
        return failed ? -1 : 0;
    }
    PyObject *name = PyType_GetName(Py_TYPE(value));
    if (name == NULL) return -1;
    PyErr_Format(reader->no_shape, "%U is not a JSON value", name);
    Py_DECREF(name);
    return -1;
}

static PyObject *shape_read(PyObject *module, PyObject *const *args, Py_ssize_t count) {
    if (count != 2) {
        PyErr_SetString(PyExc_TypeError, "read(document, no_shape) takes two arguments");
        return NULL;
    }
    Reader reader = {PyList_New(0), PyList_New(0), PyList_New(0), args[1]};
    PyObject *result = NULL;
    if (reader.tokens && reader.values && reader.kinds &&
        read_value(&reader, args[0], M_SLOTS, 0) == 0) {
        PyObject *tokens = PyList_AsTuple(reader.tokens);
        if (tokens != NULL) result = Py_BuildValue("(NOO)", tokens, reader.values, reader.kinds);
    }
    Py_XDECREF(reader.tokens);
    Py_XDECREF(reader.values);
    Py_XDECREF(reader.kinds);
    return result;
}

static PyMethodDef methods[] = {
    {"read", (PyCFunction)(void (*)(void))shape_read, METH_FASTCALL,
     "read(document, no_shape) -> (tokens, values, kinds); see shape._read."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_shape", NULL, -1, methods};

PyMODINIT_FUNC PyInit__shape(void) {
    for (int index = 0; index < 14; index++) {
        small[index] = PyLong_FromLong(index);
        if (small[index] == NULL) return NULL;
    }
    big_number = PyLong_FromString("1000000000000000000000", NULL, 10);
    minus_big_number = PyLong_FromString("-1000000000000000000000", NULL, 10);
    if (big_number == NULL || minus_big_number == NULL) return NULL;
    return PyModule_Create(&module);
}
