// clockTick: advances the step counter kept on the GPU, so many steps can be recorded in one
// submission and each still draws fresh Philox numbers (counter = (i, step, stream, 0)).
//   clock[0] <- clock[0] + 1
// Twin: the CPU engine's stepIndex + 1 (src/reference/clockTick.ts).

@group(0) @binding(0) var<storage, read_write> clock: array<u32>;

@compute @workgroup_size(1)
fn main() {
  clock[0] = clock[0] + 1u;
}
