-- How a call first reached a queue: 'direct' from its access number or IVR, 'other' when
-- an agent transferred it or another queue overflowed into it. The wallboard's
-- todayEnterQueue / todayEnterQueueOther (seed 002 GetReportStatisInfoEvent) count these.
ALTER TABLE cdr ADD COLUMN queue_entry TEXT CHECK (queue_entry IN ('direct', 'other'));
