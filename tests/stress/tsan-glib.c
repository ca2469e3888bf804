/* tsan-glib.c: tells ThreadSanitizer about GLib's synchronisation (TSan builds only).
 *
 * GLib is not built with -fsanitize=thread, and on Linux its GMutex and GCond are futexes,
 * not pthread mutexes, so TSan sees neither the locks nor the reference counts that order
 * our threads' accesses, and reports every hand-over through them as a race. Rather than
 * suppress those reports (which would hide real ones), this file wraps the GLib functions
 * the worker's hand-overs go through and adds the happens-before edges they guarantee:
 *   g_mutex_lock/trylock → acquire, g_mutex_unlock → release (g_cond_wait* both);
 *   g_async_queue_push* → release on the queue, g_async_queue_*pop → acquire;
 *   g_atomic_rc_box_release* → release on the box, acquire before it is freed;
 *   g_once_init_leave → release on the location (the readers' atomic load acquires).
 * Each wrapper calls the real function (dlsym RTLD_NEXT), so behaviour is unchanged.
 * GLib's calls to itself come through these wrappers too (they go through its PLT); its
 * own memory accesses are invisible to TSan either way.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <glib.h>

void __tsan_acquire (void *addr);
void __tsan_release (void *addr);

static void     (*real_mutex_lock)         (GMutex *mutex);
static gboolean (*real_mutex_trylock)      (GMutex *mutex);
static void     (*real_mutex_unlock)       (GMutex *mutex);
static void     (*real_cond_wait)          (GCond *cond, GMutex *mutex);
static gboolean (*real_cond_wait_until)    (GCond *cond, GMutex *mutex, gint64 end_time);
static void     (*real_queue_push)         (GAsyncQueue *queue, gpointer data);
static void     (*real_queue_push_front)   (GAsyncQueue *queue, gpointer data);
static gpointer (*real_queue_pop)          (GAsyncQueue *queue);
static gpointer (*real_queue_try_pop)      (GAsyncQueue *queue);
static gpointer (*real_queue_timeout_pop)  (GAsyncQueue *queue, guint64 timeout);
static void     (*real_rc_box_release_full) (gpointer mem, GDestroyNotify clear_func);
static void     (*real_once_init_leave)    (volatile void *location, gsize result);

static void *
real (const char *name)
{
  void *symbol = dlsym (RTLD_NEXT, name);

  if (symbol == NULL)
    g_error ("tsan-glib: no %s after this program", name);
  return symbol;
}

/* Before main(), while there is one thread: no lazy look-up to race on. GLib's own
 * calls reach these wrappers too, and its constructors run before ours: whichever wrapper
 * runs first looks them all up. */
__attribute__((constructor)) static void
tsan_glib_init (void)
{
  if (real_once_init_leave != NULL)
    return;
  real_mutex_lock = real ("g_mutex_lock");
  real_mutex_trylock = real ("g_mutex_trylock");
  real_mutex_unlock = real ("g_mutex_unlock");
  real_cond_wait = real ("g_cond_wait");
  real_cond_wait_until = real ("g_cond_wait_until");
  real_queue_push = real ("g_async_queue_push");
  real_queue_push_front = real ("g_async_queue_push_front");
  real_queue_pop = real ("g_async_queue_pop");
  real_queue_try_pop = real ("g_async_queue_try_pop");
  real_queue_timeout_pop = real ("g_async_queue_timeout_pop");
  real_rc_box_release_full = real ("g_atomic_rc_box_release_full");
  real_once_init_leave = real ("g_once_init_leave");
}

#define READY() \
  G_STMT_START { \
    if (G_UNLIKELY (real_once_init_leave == NULL)) \
      tsan_glib_init (); \
  } G_STMT_END

void
g_mutex_lock (GMutex *mutex)
{
  READY ();
  real_mutex_lock (mutex);
  __tsan_acquire (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  READY ();
  if (!real_mutex_trylock (mutex))
    return FALSE;
  __tsan_acquire (mutex);
  return TRUE;
}

void
g_mutex_unlock (GMutex *mutex)
{
  READY ();
  __tsan_release (mutex);
  real_mutex_unlock (mutex);
}

void
g_cond_wait (GCond *cond, GMutex *mutex)
{
  READY ();
  __tsan_release (mutex);
  real_cond_wait (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond *cond, GMutex *mutex, gint64 end_time)
{
  gboolean signalled;

  READY ();
  __tsan_release (mutex);
  signalled = real_cond_wait_until (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return signalled;
}

void
g_async_queue_push (GAsyncQueue *queue, gpointer data)
{
  READY ();
  __tsan_release (queue);
  real_queue_push (queue, data);
}

void
g_async_queue_push_front (GAsyncQueue *queue, gpointer data)
{
  READY ();
  __tsan_release (queue);
  real_queue_push_front (queue, data);
}

gpointer
g_async_queue_pop (GAsyncQueue *queue)
{
  gpointer data;

  READY ();
  data = real_queue_pop (queue);

  __tsan_acquire (queue);
  return data;
}

gpointer
g_async_queue_try_pop (GAsyncQueue *queue)
{
  gpointer data;

  READY ();
  data = real_queue_try_pop (queue);

  __tsan_acquire (queue);
  return data;
}

gpointer
g_async_queue_timeout_pop (GAsyncQueue *queue, guint64 timeout)
{
  gpointer data;

  READY ();
  data = real_queue_timeout_pop (queue, timeout);

  __tsan_acquire (queue);
  return data;
}

/* The clear function of the release in progress on this thread: the box is freed right
 * after it, so that is where the last owner acquires what the others released. */
static __thread GDestroyNotify current_clear;

static void
clear_then_free (gpointer mem)
{
  GDestroyNotify clear = current_clear;

  __tsan_acquire (mem);
  if (clear != NULL)
    clear (mem);
}

void
g_atomic_rc_box_release_full (gpointer mem, GDestroyNotify clear_func)
{
  GDestroyNotify outer = current_clear;

  READY ();
  __tsan_release (mem);
  current_clear = clear_func;
  real_rc_box_release_full (mem, clear_then_free);
  current_clear = outer;
}

void
g_atomic_rc_box_release (gpointer mem)
{
  g_atomic_rc_box_release_full (mem, NULL);
}

void
(g_once_init_leave) (volatile void *location, gsize result)
{
  READY ();
  __tsan_release ((void *) location);
  real_once_init_leave (location, result);
}
