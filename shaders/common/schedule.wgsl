// schedule: the eps-annealing schedule of the Sinkhorn kernels (sinkhornSoftmin, sinkhornReduce,
// sinkhornBarycenter), read on the GPU so that many iterations fit in one submission. clockTick
// advances `iter` between iterations; the kernels read steps[scheduleIndex()]:
//   k = iter                                          (period = 0)
//   k = offset + (iter - offset) mod period           (period > 0 and iter >= offset)
//   index = min(k, last)
// steps[k] = (eps_k, lambda_k, 1 / eps_k, 0), lambda_k = 1 / (1 + eps_k / rho) (1 when balanced).
// A flow step re-anneals from index `offset` every `period` ticks (the first step runs the whole
// schedule from index 0). Each kernel declares `sched` (a read-only storage binding of this struct).
// Twin: scheduleIndex in src/ot/sinkhorn.ts.

struct Schedule {
  iter: u32,
  last: u32,
  // > 0: the index restarts at `offset` every `period` ticks (flow steps re-anneal from warm potentials)
  period: u32,
  offset: u32,
  steps: array<vec4f>,
}

fn scheduleIndex() -> u32 {
  var k = sched.iter;
  if (sched.period > 0u && k >= sched.offset) {
    k = sched.offset + (k - sched.offset) % sched.period;
  }
  return min(k, sched.last);
}
