// The stacks are whole clusters of processes; on a small machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
