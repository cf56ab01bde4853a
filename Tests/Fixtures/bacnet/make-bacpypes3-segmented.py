"""Made bacpypes3-segmented.pcap: a bacpypes3 0.0.110 device (NAE-Plant-Room-1, 40 analog values) and a
client that accepts only 50-byte APDUs, both segmenting, in two network namespaces; the device answers
the object-list read and the identity ReadPropertyMultiple in segments. Run as root with run-namespaces below
(then `editcap -F pcap real.pcapng bacpypes3-segmented.pcap`):

    set -e
    ip netns del bacA 2>/dev/null || true; ip netns del bacB 2>/dev/null || true; ip netns del bactest 2>/dev/null || true
    ip netns add bacA; ip netns add bacB
    ip link add vethA netns bacA type veth peer name vethB netns bacB
    ip -n bacA addr add 10.20.0.1/24 dev vethA; ip -n bacB addr add 10.20.0.2/24 dev vethB
    ip -n bacA link set vethA up; ip -n bacB link set vethB up; ip -n bacA link set lo up; ip -n bacB link set lo up
    rm -f /tmp/bacseg/real.pcap
    ip netns exec bacA dumpcap -q -i vethA -f "udp port 47808" -w /tmp/bacseg/real.pcapng -P 2>/dev/null & CAP=$!
    sleep 1
    ip netns exec bacB python3 make-bacpypes3-segmented.py device & DEV=$!
    sleep 2
    ip netns exec bacA timeout 30 python3 make-bacpypes3-segmented.py client || true
    sleep 1
    kill $DEV 2>/dev/null || true; sleep 1; kill $CAP; wait $CAP 2>/dev/null || true
    ip netns del bacA; ip netns del bacB
"""
import asyncio, sys, logging
from bacpypes3.app import Application
from bacpypes3.argparse import SimpleArgumentParser
from bacpypes3.local.analog import AnalogValueObjectCmd
from bacpypes3.pdu import Address
from bacpypes3.primitivedata import ObjectIdentifier

def make_app(address, instance, name, max_apdu):
    ap = SimpleArgumentParser()
    args = ap.parse_args(["--address", address, "--instance", str(instance), "--name", name])
    app = Application.from_args(args)
    dev = app.device_object
    dev.vendorIdentifier = 5
    dev.vendorName = "Johnson Controls, Inc."
    dev.modelName = "MS-NAE5510-2 Network Automation Engine"
    dev.firmwareRevision = "9.0.7.2107"
    dev.applicationSoftwareVersion = "NAE Plant Room Configuration 2024-03"
    dev.segmentationSupported = "segmentedBoth"
    dev.maxApduLengthAccepted = max_apdu
    dev.maxSegmentsAccepted = 64
    return app

async def device():
    app = make_app("10.20.0.2/24", 3001, "NAE-Plant-Room-1", 206)
    for i in range(1, 41):
        app.add_object(AnalogValueObjectCmd(objectIdentifier=("analog-value", i),
            objectName=f"Zone {i:02d} Temperature Setpoint", presentValue=20.0 + i / 4,
            units="degreesCelsius", statusFlags=[0, 0, 0, 0], eventState="normal", outOfService=False,
            relinquishDefault=21.0))
    await asyncio.sleep(20)

async def client():
    app = make_app("10.20.0.1/24", 2020, "BMS-FrontEnd", 50)
    await asyncio.sleep(1.0)
    addr = Address("10.20.0.2")
    await app.who_is(3001, 3001, addr, timeout=2)
    dev = ObjectIdentifier("device,3001")
    for prop in ("objectList", "modelName", "applicationSoftwareVersion"):
        try:
            v = await app.read_property(addr, dev, prop)
            print(prop, "->", v if prop != "objectList" else len(v))
        except BaseException as exc:
            print(prop, "->", repr(exc))
    try:
        rpm = await app.read_property_multiple(addr, [
            "device,3001", ["objectName", "vendorName", "vendorIdentifier", "modelName", "firmwareRevision",
                            "applicationSoftwareVersion"],
            "analog-value,1", ["presentValue"], "analog-value,2", ["presentValue"],
        ])
        print("RPM", len(rpm))
    except BaseException as exc:
        print("RPM ->", repr(exc))
    try:
        r = await app.write_property(addr, "analog-value,3", "presentValue", 23.5, priority=8)
        print("WP ->", r)
    except BaseException as exc:
        print("WP ->", repr(exc))

logging.basicConfig(level=logging.WARNING)
asyncio.run(device() if sys.argv[1] == "device" else client())
