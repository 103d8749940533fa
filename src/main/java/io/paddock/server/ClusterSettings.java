package io.paddock.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The Akka settings one server of an ensemble runs with, derived from its server.N line: Akka
 * Cluster over Artery TCP on the server's electionPort, every server a seed node. Peer messages
 * travel on Paddock's own links on the peerPort ({@link PeerLinks}); Akka Cluster is only a view
 * of who is up, whose failure detector hints that a leader is gone. There is no downing provider,
 * so that nothing but ZAB's own votes, epochs and acks ever decides anything (a server restarted
 * on the same address replaces its old incarnation by joining again; one that stays down merely
 * shows as unreachable).
 */
public final class ClusterSettings {

    /** The actor system's name: part of every peer address. */
    public static final String SYSTEM_NAME = "paddock";
    private ClusterSettings() {
    }

    /** The server's address in Akka Cluster, as its failure detector names it. */
    public static String address(PaddockConfig.ServerSpec server) {
        return "akka://" + SYSTEM_NAME + "@" + server.host() + ":" + server.electionPort();
    }

    /**
     * @param bindHostname where Artery (and the peer links) listen (the canonical host, or 0.0.0.0 in a container whose
     *                     own name resolves to its address only on the container network)
     */
    public static Config forEnsemble(PaddockConfig config, long myId, String bindHostname) {
        PaddockConfig.ServerSpec me = config.servers().get(myId);
        if (me == null) {
            throw new IllegalArgumentException("myid " + myId + " has no server." + myId + " line");
        }
        List<String> seeds = new ArrayList<>();
        config.servers().keySet().stream().sorted().forEach(id -> seeds.add(address(config.servers().get(id))));
        return ConfigFactory.empty()
                .withValue("akka.actor.provider", ConfigValueFactory.fromAnyRef("cluster"))
                .withValue("akka.remote.artery.transport", ConfigValueFactory.fromAnyRef("tcp"))
                .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(me.host()))
                .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(me.electionPort()))
                .withValue("akka.remote.artery.bind.hostname",
                        ConfigValueFactory.fromAnyRef(bindHostname == null ? me.host() : bindHostname))
                .withValue("akka.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(me.electionPort()))
                .withValue("akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
                .withValue("akka.cluster.downing-provider-class", ConfigValueFactory.fromAnyRef(""))
                // Membership chatter (joins, InitJoin) is not what an operator of Paddock needs to read.
                .withValue("akka.cluster.log-info", ConfigValueFactory.fromAnyRef(false))
                .withValue("akka.cluster.log-info-verbose", ConfigValueFactory.fromAnyRef(false))
                // The membership view is informational: a node that cannot join yet keeps trying.
                .withValue("akka.cluster.shutdown-after-unsuccessful-join-seed-nodes",
                        ConfigValueFactory.fromAnyRef("off"))
                .withValue("akka.cluster.jmx.enabled", ConfigValueFactory.fromAnyRef(false))
                // The failure detector only hints (a follower stops waiting for a dead leader
                // before syncLimit runs out): tuned to a tick, as ZooKeeper's peers notice a
                // dead leader at once from its TCP connection.
                .withValue("akka.cluster.failure-detector.heartbeat-interval",
                        ConfigValueFactory.fromAnyRef(Math.max(100, config.tickTime() / 4) + "ms"))
                .withValue("akka.cluster.failure-detector.acceptable-heartbeat-pause",
                        ConfigValueFactory.fromAnyRef(Math.max(1000, config.tickTime()) + "ms"));
    }
}
