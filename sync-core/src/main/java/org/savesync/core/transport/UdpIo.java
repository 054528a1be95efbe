package org.savesync.core.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.incubator.codec.quic.EpollQuicUtils;
import io.netty.incubator.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;

/**
 * The UDP side of an endpoint: its event loop group (epoll when available, else NIO), socket
 * buffers, and the GSO/GRO batching the notes measured. GSO that fails at run time is switched
 * off (logged once) and the QUIC codec falls back to one datagram per send; GRO that the kernel
 * refuses stays off.
 */
final class UdpIo {
    private static final Logger LOG = Logger.getLogger(UdpIo.class);

    private final TransportConfig cfg;
    private final EventLoopGroup group;
    private final boolean epoll;
    private final SwitchableGso gso;
    private final String threadPrefix;
    private final TrackingThreadFactory threads;
    private volatile boolean groActive;

    UdpIo(TransportConfig cfg, String threadPrefix) {
        this.cfg = cfg;
        this.threadPrefix = threadPrefix;
        this.epoll = cfg.preferEpoll() && Epoll.isAvailable();
        if (cfg.preferEpoll() && !epoll) {
            LOG.infof("epoll is unavailable (%s); using the NIO transport, without GSO/GRO", Epoll.unavailabilityCause());
        }
        this.threads = new TrackingThreadFactory(new DefaultThreadFactory(threadPrefix, true));
        this.group = epoll ? new EpollEventLoopGroup(cfg.eventLoopThreads(), threads)
                : new NioEventLoopGroup(cfg.eventLoopThreads(), threads);
        boolean gsoUsable = epoll && cfg.gsoSegments() > 1 && io.netty.channel.epoll.SegmentedDatagramPacket.isSupported();
        if (epoll && cfg.gsoSegments() > 1 && !gsoUsable) {
            LOG.info("UDP GSO is not supported by this kernel; sending one datagram per packet");
        }
        this.gso = gsoUsable ? new SwitchableGso(EpollQuicUtils.newSegmentedAllocator(cfg.gsoSegments())) : null;
    }

    EventLoopGroup group() {
        return group;
    }

    String threadPrefix() {
        return threadPrefix;
    }

    /** True when the group is epoll's (TCP channels of the bulk lane must then be epoll's too). */
    boolean epoll() {
        return epoll;
    }

    /** The allocator for {@code QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR}, or null without GSO. */
    SegmentedDatagramPacketAllocator gso() {
        return gso;
    }

    /** Binds a UDP channel that runs {@code quicCodec}. */
    Channel bind(InetSocketAddress address, ChannelHandler quicCodec) throws InterruptedException {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (gso != null) {
                            ch.pipeline().addLast(gso.watch);
                        }
                        ch.pipeline().addLast(quicCodec);
                    }
                });
        if (cfg.socketBufferBytes() > 0) {
            b.option(ChannelOption.SO_RCVBUF, cfg.socketBufferBytes())
                    .option(ChannelOption.SO_SNDBUF, cfg.socketBufferBytes());
        }
        Channel ch = b.register().sync().channel();
        try {
            if (epoll && cfg.udpGro()) {
                enableGro(ch);
            }
            ch.bind(address).sync();
        } catch (InterruptedException | RuntimeException e) {
            ch.close();
            throw e;
        }
        checkBuffers(ch);
        return ch;
    }

    private void enableGro(Channel ch) {
        try {
            // The larger buffer first: GRO hands over up to 64 KiB at once and a smaller buffer truncates.
            ch.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(cfg.groReceiveBufferBytes()));
            if (!ch.config().setOption(EpollChannelOption.UDP_GRO, true)) {
                throw new IllegalStateException("option not supported");
            }
            groActive = true;
        } catch (RuntimeException e) {
            LOG.infof("UDP GRO is unavailable (%s); receiving one datagram per read", Failure.describe(e));
            ch.config().setOption(ChannelOption.RCVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(Math.max(2048, cfg.maxUdpPayloadBytes())));
        }
    }

    private void checkBuffers(Channel ch) {
        if (cfg.socketBufferBytes() <= 0) {
            return;
        }
        Integer rcv = ch.config().getOption(ChannelOption.SO_RCVBUF);
        // Linux reports twice the value it grants; less than what we asked means the kernel capped it.
        if (rcv != null && rcv < cfg.socketBufferBytes()) {
            LOG.warnf("UDP receive buffer is %d bytes, not the %d asked for: QUIC will drop packets under load; "
                    + "raise it with: sysctl -w net.core.rmem_max=%d net.core.wmem_max=%d",
                    rcv, cfg.socketBufferBytes(), cfg.socketBufferBytes(), cfg.socketBufferBytes());
        }
    }

    /** A one-line description of the I/O setup, for the start-up log. */
    String describe() {
        return (epoll ? "epoll" : "NIO") + ", GSO " + (gso != null ? cfg.gsoSegments() + " segments" : "off")
                + ", GRO " + (groActive ? "on" : "off") + ", " + cfg.congestionControl();
    }

    /**
     * Stops the event loop threads and waits until each has really ended (the termination future
     * completes while the last thread is still unwinding).
     */
    void shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!group.shutdownGracefully(0, timeout, unit).await(timeout, unit)) {
            LOG.warnf("the QUIC event loop %s did not stop within %d %s", threadPrefix, timeout, unit);
        }
        for (Thread t : threads.created) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** Remembers the threads it makes so that shutdown can wait for them to end. */
    private static final class TrackingThreadFactory implements ThreadFactory {
        private final ThreadFactory delegate;
        private final List<Thread> created = new CopyOnWriteArrayList<>();

        TrackingThreadFactory(ThreadFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = delegate.newThread(r);
            created.add(t);
            return t;
        }
    }

    /** GSO that can be switched off at run time: the QUIC codec asks {@link #maxNumSegments()} before each batch. */
    static final class SwitchableGso implements SegmentedDatagramPacketAllocator {
        private final SegmentedDatagramPacketAllocator delegate;
        private final AtomicBoolean disabled = new AtomicBoolean();
        final ChannelHandler watch = new Watch();

        SwitchableGso(SegmentedDatagramPacketAllocator delegate) {
            this.delegate = delegate;
        }

        @Override
        public int maxNumSegments() {
            return disabled.get() ? 0 : delegate.maxNumSegments();
        }

        @Override
        public DatagramPacket newPacket(ByteBuf buffer, int segmentSize, InetSocketAddress remoteAddress) {
            return delegate.newPacket(buffer, segmentSize, remoteAddress);
        }

        boolean disabled() {
            return disabled.get();
        }

        void disable(Throwable cause) {
            if (disabled.compareAndSet(false, true)) {
                LOG.warnf("UDP GSO send failed (%s); sending one datagram per packet from now on", String.valueOf(cause));
            }
        }

        /** Sees segmented sends fail on the UDP channel and switches GSO off. */
        @ChannelHandler.Sharable
        private final class Watch extends ChannelOutboundHandlerAdapter {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof io.netty.channel.unix.SegmentedDatagramPacket) {
                    ChannelPromise p = promise.unvoid();
                    p.addListener(f -> {
                        if (!f.isSuccess()) {
                            disable(f.cause());
                        }
                    });
                    ctx.write(msg, p);
                } else {
                    ctx.write(msg, promise);
                }
            }
        }
    }
}
