// Preloaded (LD_PRELOAD) into a real redis-server by the tests
// (redis_server.hpp): its wall clock, which TIME and its scripts read, runs
// AB_CLOCK_OFFSET_US microseconds ahead of the machine's (behind when
// negative), as another machine's clock may. libfaketime would do this, but
// it recurses into the jemalloc redis-server links and hangs. The machine's
// clock is read with the system call itself, so nothing here allocates or
// looks a symbol up.
#include <cstdlib>
#include <ctime>

#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

namespace {

// Read at the first call, without a guard: threads that race here all read the same value.
long long offset_us() {
  static long long offset = 0;
  static bool known = false;
  if (!known) {
    const char* text = std::getenv("AB_CLOCK_OFFSET_US");
    offset = text ? std::atoll(text) : 0;
    known = true;
  }
  return offset;
}

void shift(timespec& t) {
  long long ns = static_cast<long long>(t.tv_sec) * 1'000'000'000LL + t.tv_nsec + offset_us() * 1000;
  t.tv_sec = static_cast<time_t>(ns / 1'000'000'000LL);
  t.tv_nsec = static_cast<long>(ns % 1'000'000'000LL);
}

}  // namespace

extern "C" {

int clock_gettime(clockid_t id, timespec* t) {
  const int r = static_cast<int>(::syscall(SYS_clock_gettime, id, t));
  if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) shift(*t);
  return r;
}

int gettimeofday(timeval* tv, void*) {
  timespec t{};
  if (clock_gettime(CLOCK_REALTIME, &t) != 0) return -1;
  if (tv) {
    tv->tv_sec = t.tv_sec;
    tv->tv_usec = static_cast<suseconds_t>(t.tv_nsec / 1000);
  }
  return 0;
}

time_t time(time_t* out) {
  timespec t{};
  clock_gettime(CLOCK_REALTIME, &t);
  if (out) *out = t.tv_sec;
  return t.tv_sec;
}

}  // extern "C"
