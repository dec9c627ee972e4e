"""样品 Samples (pure): the register read and checked, the milestone a sample kind closes, approvals
closing milestones, rejections adding the next round, and each round's wait, state and why."""
