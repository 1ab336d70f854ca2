#!/usr/bin/env bash
# Trains (or resumes) the shipped MuJoCo experts, one after another: `bash scripts/train-experts.sh TASK...` (default:
# every locomotion task). Each expert is `trirl expert` (PPO on the true reward, then 20 demonstration episodes and the
# anchors over 100 seeded episodes) in runs/experts/TASK; an interrupted one resumes from its last checkpoint, a
# finished one (anchors.json written) is skipped. Copy a finished folder's policy.ckpt, demos.npz and anchors.json to
# src/Trirl.Environments/Experts/TASK.* to ship it. TRIRL overrides the command (default: the Release build's trirl).
set -euo pipefail
cd "$(dirname "$0")/.."
TRIRL=${TRIRL:-"dotnet src/Trirl.Cli/bin/Release/net10.0/trirl.dll"}
ROOT=${EXPERTS_DIR:-runs/experts}

# Settings per task family (docs/results.md, "MuJoCo experts"): the locomotion preset (PPO, 8 x 256 steps, 64-64 tanh,
# normalised observations and rewards, clipped actions; walker2d with the learning rate annealed to 0 over its budget,
# without which its return fell from 3,856 at 1.1M steps to 1,304 at 2M); the cheetahs with rl-baselines3-zoo's HalfCheetah PPO
# settings (256-256 ReLU, initial std e^-2, gamma 0.98, lambda 0.92, clip 0.1, 20 epochs, Adam 2e-5).
settings() {
  case "$1" in
    hopper) echo "--steps 1000000" ;;
    walker2d) echo "--steps 2000000 --set learning_rate_anneal_steps=2000000" ;;
    ant|ant-disabled) echo "--steps 2000000" ;;
    halfcheetah|halfcheetah-mars|halfcheetah-wind)
      echo "--steps 1500000 --set initial_std=0.1353 --set policy.hidden=[256,256] --set policy.activation=relu" \
           "--set critic.hidden=[256,256] --set critic.activation=relu --set gamma=0.98 --set gae_lambda=0.92" \
           "--set clip_range=0.1 --set epochs=20 --set rollout_steps=64 --set learning_rate=2e-5 --set max_grad_norm=0.8" ;;
    *) echo "error: no expert settings for '$1'" >&2; return 2 ;;
  esac
}

tasks=("$@")
[[ ${#tasks[@]} -gt 0 ]] || tasks=(hopper halfcheetah walker2d ant halfcheetah-mars halfcheetah-wind ant-disabled)
for task in "${tasks[@]}"; do
  dir="$ROOT/$task"
  args=$(settings "$task")
  steps=$(sed -E 's/.*--steps ([0-9]+).*/\1/' <<<"$args")
  if [[ -f "$dir/anchors.json" ]]; then
    echo "==> $task: done ($dir/anchors.json)"
  elif [[ -f "$dir/checkpoints/checkpoint.ckpt" ]]; then
    echo "==> $task: resuming $dir"
    $TRIRL expert --env "$task" --algo ppo --resume "$dir" --steps "$steps" --out "$dir"
  else
    echo "==> $task: training into $dir"
    # shellcheck disable=SC2086
    $TRIRL expert --env "$task" --algo ppo --preset locomotion --seed 0 --eval-every 25 --out "$dir" $args
  fi
done
