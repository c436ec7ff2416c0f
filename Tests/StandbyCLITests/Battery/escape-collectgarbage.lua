-- The collector cannot be stopped (finalizers and the ceiling rely on it).
collectgarbage("stop")
