package org.medsettle.tools;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * The heap of a node running on this machine, as its JVM reports it: the load driver attaches to the node's
 * process (JDK attach API, same user, no port opened to the network), starts the JVM's local management agent and
 * reads the memory and garbage-collector beans. Sampled every 200 ms during a step for the peak heap in use.
 */
final class NodeHeap implements AutoCloseable {

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final List<GarbageCollectorMXBean> collectors;
    private final AtomicLong peakUsed = new AtomicLong();
    private ScheduledExecutorService sampler;

    private NodeHeap(JMXConnector connector) throws java.io.IOException {
        this.connector = connector;
        MBeanServerConnection server = connector.getMBeanServerConnection();
        memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        collectors = ManagementFactory.getPlatformMXBeans(server, GarbageCollectorMXBean.class);
    }

    /** Attaches to the JVM of {@code pid}; empty (with the reason on stderr) if it cannot. */
    static Optional<NodeHeap> attach(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                String address = vm.startLocalManagementAgent();
                return Optional.of(new NodeHeap(JMXConnectorFactory.connect(new JMXServiceURL(address))));
            } finally {
                vm.detach();
            }
        } catch (Exception | LinkageError e) {
            System.err.println("The node's heap is not reported: cannot attach to process " + pid + " (" + e + ")");
            return Optional.empty();
        }
    }

    /** Starts sampling the heap in use; {@link #stopSampling()} answers the peak since. */
    void startSampling() {
        peakUsed.set(usedBytes());
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-heap-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> peakUsed.accumulateAndGet(usedBytes(), Math::max), 200, 200, TimeUnit.MILLISECONDS);
    }

    /** The peak heap in use since {@link #startSampling()}, in MiB. */
    long stopSampling() {
        sampler.shutdownNow();
        return peakUsed.get() / (1024 * 1024);
    }

    long maxMib() {
        return memory.getHeapMemoryUsage().getMax() / (1024 * 1024);
    }

    /** Milliseconds spent in garbage collection since the node started. */
    long gcMillis() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    private long usedBytes() {
        try {
            return memory.getHeapMemoryUsage().getUsed();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (java.io.IOException e) {
            // the node went away
        }
    }
}
